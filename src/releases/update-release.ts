import { notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Release } from '../store/types-releases.ts';
import { findRelease, RELEASE_WRITE, type ReleaseContext } from './access.ts';
import { parseInput, UpdateReleaseInput } from './schemas.ts';
import { commitsToSet } from './set-commits.ts';

/**
 * `PUT …/releases/{version}/`: finalize (`dateReleased`), `ref`, `url`, `status`, and the
 * commit list (`commits` with changed files, or `refs`). Like Sentry, empty values leave a
 * field as it is.
 */
export async function updateRelease(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string; body: unknown },
): Promise<ReleaseContext & { release: Release }> {
  const found = await findRelease(ctx, principal, input, RELEASE_WRITE);
  const body = parseInput(UpdateReleaseInput, input.body);
  const patch = {
    ...(body.ref ? { ref: body.ref } : {}),
    ...(body.url ? { url: body.url } : {}),
    ...(body.dateReleased ? { dateReleased: body.dateReleased } : {}),
    ...(body.status ? { status: body.status } : {}),
  };
  const commits = await commitsToSet(ctx, found.org, body);
  if (Object.keys(patch).length === 0 && commits === undefined) return found;
  const release = await ctx.store.releases.update(
    found.org.id,
    input.version,
    patch,
    commits && { commits, now: ctx.clock.now() },
  );
  if (!release) throw notFound('release');
  return { ...found, release };
}
