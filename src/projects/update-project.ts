import { notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { type ProjectView, viewProjects } from './project-view.ts';
import { UpdateProjectInput } from './schemas.ts';

/** PUT /projects/{org}/{project}/: name, slug, platform and the retention settings; a taken slug is 409. */
export async function updateProject(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; body: unknown },
): Promise<{ org: Org; view: ProjectView }> {
  requireScope(principal, 'project:write', 'project:admin');
  const patch = parseInput(UpdateProjectInput, input.body ?? {});
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  const updated = await ctx.store.projects.update(project.id, patch);
  if (!updated) throw notFound('project');
  const [view] = await viewProjects(ctx, principal, [updated]);
  return { org, view };
}
