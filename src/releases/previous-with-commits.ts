import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Release } from '../store/types-releases.ts';
import { findRelease, RELEASE_READ, type ReleaseContext } from './access.ts';

/**
 * sentry-cli `set-commits` (local git mode) asks for the previous release with commits and sends
 * the commits after its `lastCommit`. Unlike Sentry, the release itself never counts as its own
 * predecessor, so running set-commits twice sends the same range again.
 */
export async function getPreviousWithCommits(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string },
): Promise<ReleaseContext & { previous: Release | null }> {
  const found = await findRelease(ctx, principal, input, RELEASE_READ);
  const previous = await ctx.store.releases.previousWithCommits(found.release.id);
  return { ...found, previous };
}
