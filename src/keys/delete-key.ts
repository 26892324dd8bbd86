import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveKey } from './resolve-key.ts';

/** DELETE /projects/{org}/{project}/keys/{keyId}/: SDKs using the key are refused from now on. */
export async function deleteKey(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; keyId: string },
): Promise<void> {
  requireScope(principal, 'project:admin');
  const { key } = await resolveKey(ctx, principal, input);
  await ctx.store.keys.delete(key.id);
  ctx.keyCache.forget(key.publicKey);
}
