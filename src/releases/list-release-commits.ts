import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Commit } from '../store/types-releases.ts';
import { findRelease, RELEASE_READ } from './access.ts';
import { nextCursor, PageInput, parseInput, previousCursor } from './schemas.ts';

/** The release's commits, newest (first sent) first. */
export async function listReleaseCommits(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string; project?: string; query: unknown },
): Promise<{ commits: Commit[]; previousCursor: string | null; nextCursor: string | null }> {
  const { release } = await findRelease(ctx, principal, input, RELEASE_READ);
  const page = parseInput(PageInput, input.query);
  const commits = await ctx.store.releases.commits(release.id, {
    limit: page.per_page + 1,
    offset: page.cursor,
  });
  return {
    commits: commits.slice(0, page.per_page),
    previousCursor: previousCursor(page.cursor, page.per_page),
    nextCursor: nextCursor(page.cursor, page.per_page, commits.length),
  };
}
