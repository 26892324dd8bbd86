import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Release } from '../store/types-releases.ts';
import { findRelease, RELEASE_READ, type ReleaseContext } from './access.ts';

/** One release by version; through a project's URL it must belong to that project. */
export function getRelease(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string; project?: string },
): Promise<ReleaseContext & { release: Release }> {
  return findRelease(ctx, principal, input, RELEASE_READ);
}
