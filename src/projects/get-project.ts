import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import { type ProjectView, viewProjects } from './project-view.ts';

export async function getProject(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string },
): Promise<{ org: Org; view: ProjectView }> {
  requireScope(principal, 'project:read', 'project:write', 'project:admin');
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  const [view] = await viewProjects(ctx, principal, [project]);
  return { org, view };
}
