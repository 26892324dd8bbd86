import { auditEntry } from '../audit/audit-entry.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { Project, ProjectKey } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { newKeyMaterial } from './key-material.ts';
import { CreateKeyInput, rateLimitPatch } from './schemas.ts';

/** POST /projects/{org}/{project}/keys/ (MCP `create_dsn`): a new active DSN key. */
export async function createKey(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; body: unknown },
): Promise<{ project: Project; key: ProjectKey }> {
  requireScope(principal, 'project:write', 'project:admin');
  const data = parseInput(CreateKeyInput, input.body ?? {});
  const { project } = await resolveProject(ctx, principal, input.org, input.project);
  const now = ctx.clock.now();
  const material = newKeyMaterial(data.name ?? 'Default');
  const key = await ctx.store.keys.create(
    { projectId: project.id, now, ...material, ...rateLimitPatch(data.rateLimit) },
    auditEntry(
      { orgId: project.orgId, actor: principal.actor, now },
      'projectkey.create',
      { type: 'projectkey' },
      { label: material.label, public_key: material.publicKey, project: project.slug },
    ),
  );
  return { project, key };
}
