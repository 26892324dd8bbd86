import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { type Page, pageOf } from '../orgs/paging.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { Project, ProjectKey } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { resolveKey } from './resolve-key.ts';
import { ListKeysInput } from './schemas.ts';

/** GET /projects/{org}/{project}/keys/ (MCP `find_dsns`); `status=active|inactive` filters. */
export async function listKeys(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string } & Record<string, unknown>,
): Promise<{ project: Project; page: Page<ProjectKey> }> {
  requireScope(principal, 'project:read', 'project:write', 'project:admin');
  const params = parseInput(ListKeysInput, input);
  const { project } = await resolveProject(ctx, principal, input.org, input.project);
  const keys = (await ctx.store.keys.listByProject(project.id)).filter(
    (key) => params.status === undefined || key.isActive === (params.status === 'active'),
  );
  return { project, page: pageOf(keys, params) };
}

export async function getKey(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; keyId: string },
): Promise<{ project: Project; key: ProjectKey }> {
  requireScope(principal, 'project:read', 'project:write', 'project:admin');
  const { project, key } = await resolveKey(ctx, principal, input);
  return { project, key };
}
