import { auditEntry } from '../audit/audit-entry.ts';
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
  const { project, key } = await resolveKey(ctx, principal, input);
  await ctx.store.keys.delete(
    key.id,
    auditEntry(
      { orgId: project.orgId, actor: principal.actor, now: ctx.clock.now() },
      'projectkey.remove',
      { type: 'projectkey', id: key.id },
      { label: key.label, public_key: key.publicKey, project: project.slug },
    ),
  );
  ctx.keyCache.forget(key.publicKey);
}
