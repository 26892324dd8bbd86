import { invalid } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import type { CommitFile, NewCommit } from '../store/types-releases.ts';
import type { CommitInput, RefInput } from './schemas.ts';

/**
 * Applies a create/update body's `commits` and `refs` the way Sentry does
 * (sentry `organization_release_details.py` `put`): a non-empty `commits` list replaces the
 * release's commits; `refs: []` clears them (sentry-cli `set-commits --clear`); other refs
 * must name known repositories. Without a repository integration Firebreak cannot fetch the
 * range between `previousCommit` and `commit`, so the head commits become the release's
 * commits (keeping whatever an earlier upload recorded about them).
 */
export async function applyCommitsAndRefs(
  ctx: AppContext,
  org: Org,
  releaseId: number,
  body: { commits?: CommitInput[] | null; refs?: RefInput[] | null },
): Promise<void> {
  const now = ctx.clock.now();
  const commits = body.commits ?? [];
  if (commits.length > 0) {
    await ctx.store.releases.setCommits(releaseId, toNewCommits(org, commits), now);
  }
  if (!body.refs) return;
  if (body.refs.length === 0) {
    if (commits.length === 0) await ctx.store.releases.setCommits(releaseId, [], now);
    return;
  }
  const unknown = await ctx.store.releases.unknownRepositories(
    org.id,
    body.refs.map((ref) => ref.repository),
  );
  if (unknown.length > 0) throw invalid(`Invalid repository names: ${unknown.slice(0, 5).join(', ')}`);
  if (commits.length > 0) return;
  const heads = body.refs.map((ref) => ({
    sha: ref.commit,
    repository: ref.repository,
    message: null,
    authorName: null,
    authorEmail: null,
    dateCreated: null,
    files: null,
  }));
  await ctx.store.releases.setCommits(releaseId, dedupe(heads), now);
}

function toNewCommits(org: Org, commits: CommitInput[]): NewCommit[] {
  return dedupe(
    commits.map((commit) => ({
      sha: commit.id,
      // Sentry's name for commits sent without a repository.
      repository: commit.repository ?? `organization-${org.id}`,
      message: commit.message ?? null,
      authorName: commit.author_name ?? null,
      authorEmail: commit.author_email ?? null,
      dateCreated: commit.timestamp ?? null,
      files: commit.patch_set ? uniqueFiles(commit.patch_set) : null,
    })),
  );
}

/** The first mention of a commit wins, keeping the client's order. */
function dedupe(commits: NewCommit[]): NewCommit[] {
  const seen = new Map<string, NewCommit>();
  for (const commit of commits) {
    const key = `${commit.repository}\0${commit.sha}`;
    if (!seen.has(key)) seen.set(key, commit);
  }
  return [...seen.values()];
}

/** One change per path; a later entry for the same path wins. */
function uniqueFiles(files: CommitFile[]): CommitFile[] {
  return [...new Map(files.map((file) => [file.path, file])).values()];
}
