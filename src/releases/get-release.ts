import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { findRelease, RELEASE_READ, type ReleaseContext } from './access.ts';
import { type ReleaseWithHealth, withHealth } from './health-view.ts';

/**
 * One release by version; through a project's URL it must belong to that project. It carries
 * its projects' release health (Sentry's `healthData`, which it gives with `?health=1`).
 */
export async function getRelease(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string; project?: string },
): Promise<ReleaseContext & { release: ReleaseWithHealth }> {
  const found = await findRelease(ctx, principal, input, RELEASE_READ);
  const [release] = await withHealth(ctx, [found.release], true);
  return { ...found, release };
}
