import { invalid } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import type { CommitFile, NewCommit } from '../store/types-releases.ts';
import type { CommitInput, RefInput } from './schemas.ts';

/**
 * The commit list a create/update body asks for, the way Sentry reads it
 * (sentry `organization_release_details.py` `put`): a non-empty `commits` list replaces the
 * release's commits; `refs: []` clears them (sentry-cli `set-commits --clear`); other refs must
 * name known repositories, or ones the same body's commits introduce. Without a repository
 * integration Firebreak cannot fetch the range between `previousCommit` and `commit`, so the head
 * commits become the release's commits (keeping whatever an earlier upload recorded about them).
 * Undefined = leave the commits alone. Only reads: the caller writes the list with the release,
 * in one transaction, so a refused body changes nothing.
 */
export async function commitsToSet(
  ctx: AppContext,
  org: Org,
  body: { commits?: CommitInput[] | null; refs?: RefInput[] | null },
): Promise<NewCommit[] | undefined> {
  const commits = toNewCommits(org, body.commits ?? []);
  if (body.refs?.length) {
    const introduced = new Set(commits.map((commit) => commit.repository));
    const named = body.refs.map((ref) => ref.repository).filter((name) => !introduced.has(name));
    const unknown = named.length > 0 ? await ctx.store.releases.unknownRepositories(org.id, named) : [];
    if (unknown.length > 0) throw invalid(`Invalid repository names: ${unknown.slice(0, 5).join(', ')}`);
  }
  if (commits.length > 0) return commits;
  if (!body.refs) return undefined;
  const heads = body.refs.map((ref) => ({
    sha: ref.commit,
    repository: ref.repository,
    message: null,
    authorName: null,
    authorEmail: null,
    dateCreated: null,
    files: null,
  }));
  return dedupe(heads);
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
