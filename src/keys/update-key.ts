import { notFound } from '../app-error.ts';
import { auditEntry, changedFields } from '../audit/audit-entry.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Project, ProjectKey } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { resolveKey } from './resolve-key.ts';
import { rateLimitPatch, UpdateKeyInput } from './schemas.ts';

/**
 * PUT /projects/{org}/{project}/keys/{keyId}/ (MCP `update_dsn`): name, isActive, rateLimit.
 * Ingest on this node sees the change at once (the key cache forgets the key).
 */
export async function updateKey(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; keyId: string; body: unknown },
): Promise<{ project: Project; key: ProjectKey }> {
  requireScope(principal, 'project:write', 'project:admin');
  const data = parseInput(UpdateKeyInput, input.body ?? {});
  const { project, key } = await resolveKey(ctx, principal, input);
  const given: Partial<ProjectKey> = {
    label: data.name,
    isActive: data.isActive,
    ...rateLimitPatch(data.rateLimit),
  };
  const changed = changedFields(key, given);
  if (changed.length === 0) return { project, key };
  const patch = Object.fromEntries(changed.map((field) => [field, given[field]]));
  const updated = await ctx.store.keys.update(
    key.id,
    patch,
    auditEntry(
      { orgId: project.orgId, actor: principal.actor, now: ctx.clock.now() },
      'projectkey.edit',
      { type: 'projectkey', id: key.id },
      { public_key: key.publicKey, project: project.slug, ...JSON.parse(JSON.stringify(patch)) },
    ),
  );
  ctx.keyCache.forget(key.publicKey);
  if (!updated) throw notFound('key');
  return { project, key: updated };
}
