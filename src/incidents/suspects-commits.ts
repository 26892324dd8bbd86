import type { AppContext } from '../context.ts';
import type { NormalizedEvent } from '../digest/event.ts';
import { inAppFramePaths, suffixMatchLength, suspectCommits } from '../releases/frame-paths.ts';
import type { Commit } from '../store/types-releases.ts';

/** Commits of one release considered; a release rarely carries more (as get-committers.ts). */
const MAX_RELEASE_COMMITS = 1000;
const MAX_SUSPECTS = 10;

export interface SuspectCommitMatch {
  commit: Commit;
  /** Longest path match between a changed file and a frame (segments). */
  score: number;
  /** Changed files that appear in the frames. */
  files: string[];
  /** Short ids of the issues whose latest event's in-app frames the commit touched. */
  issues: string[];
}

/**
 * Suspect commits, as Sentry's release-based committers (src/releases/get-committers.ts): commits
 * of the suspect release whose changed files appear in the in-app frames of the implicated
 * issues' latest events; best match first, then release order.
 */
export async function findSuspectCommits(
  ctx: AppContext,
  orgId: number,
  version: string,
  events: { shortId: string; event: NormalizedEvent }[],
): Promise<SuspectCommitMatch[]> {
  if (events.length === 0) return [];
  const release = await ctx.store.releases.get(orgId, version);
  if (!release || release.commitCount === 0) return [];
  const commits = await ctx.store.releases.commits(release.id, {
    limit: MAX_RELEASE_COMMITS,
    offset: 0,
    withFiles: true,
  });
  const matches = new Map<string, SuspectCommitMatch>();
  const order: string[] = [];
  for (const { shortId, event } of events) {
    const paths = inAppFramePaths(event);
    for (const { commit, score } of suspectCommits(commits, paths)) {
      const key = `${commit.repository.id}:${commit.sha}`;
      let match = matches.get(key);
      if (!match) {
        match = { commit, score: 0, files: [], issues: [] };
        matches.set(key, match);
        order.push(key);
      }
      match.score = Math.max(match.score, score);
      if (!match.issues.includes(shortId)) match.issues.push(shortId);
      for (const file of commit.files ?? []) {
        if (!match.files.includes(file.path) && paths.some((p) => suffixMatchLength(p, file.path) > 0)) {
          match.files.push(file.path);
        }
      }
    }
  }
  const releaseOrder = new Map(commits.map((c, i) => [`${c.repository.id}:${c.sha}`, i]));
  return order
    .map((key) => matches.get(key)!)
    .sort(
      (a, b) =>
        b.score - a.score ||
        (releaseOrder.get(`${a.commit.repository.id}:${a.commit.sha}`) ?? 0) -
          (releaseOrder.get(`${b.commit.repository.id}:${b.commit.sha}`) ?? 0),
    )
    .slice(0, MAX_SUSPECTS);
}
