import { invalid, notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { RELEASE_DELETE, releaseContext, requireReleaseDelete } from './access.ts';

/** Removes a release with its commits list and deploys; refused, like Sentry, once issues started in it. */
export async function deleteRelease(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string },
): Promise<void> {
  requireReleaseDelete(principal);
  const { org } = await releaseContext(ctx, principal, input.org, RELEASE_DELETE);
  const outcome = await ctx.store.releases.delete(org.id, input.version);
  if (outcome === 'missing') throw notFound('release');
  if (outcome === 'in-use') {
    throw invalid('This release is referenced by active issues and cannot be removed.');
  }
}
