import { notFound } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Project, ProjectKey } from '../store/types.ts';
import { newKeyMaterial } from './key-material.ts';
import { resolveKey } from './resolve-key.ts';

/**
 * POST /projects/{org}/{project}/keys/{keyId}/rotate/ (Firebreak's own): for a leaked key, a new
 * key with the same name and rate limit replaces it and the old one is disabled, in one
 * transaction. Without a leak, create a key, deploy it, then disable the old one.
 */
export async function rotateKey(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; keyId: string },
): Promise<{ project: Project; key: ProjectKey; retired: ProjectKey }> {
  requireScope(principal, 'project:write', 'project:admin');
  const { project, key } = await resolveKey(ctx, principal, input);
  const { publicKey, secretKey } = newKeyMaterial(key.label);
  const now = ctx.clock.now();
  const rotated = await ctx.store.keys.rotate(
    key.id,
    { publicKey, secretKey, now },
    auditEntry(
      { orgId: project.orgId, actor: principal.actor, now },
      'projectkey.rotate',
      { type: 'projectkey', id: key.id },
      { label: key.label, retired_public_key: key.publicKey, public_key: publicKey, project: project.slug },
    ),
  );
  ctx.keyCache.forget(key.publicKey);
  if (!rotated) throw notFound('key');
  return { project, key: rotated.created, retired: rotated.retired };
}
