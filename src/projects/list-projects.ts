import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { ListInput, matchesQuery, type Page, pageOf } from '../orgs/paging.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { type ProjectView, viewProjects } from './project-view.ts';

/** GET /organizations/{org}/projects/ (sentry-cli `projects list`, MCP `find_projects`). */
export async function listProjects(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
): Promise<{ org: Org; page: Page<ProjectView> }> {
  requireScope(principal, 'org:read', 'org:write', 'org:admin');
  const params = parseInput(ListInput, input);
  const org = await resolveOrg(ctx, principal, input.org);
  const projects = (await ctx.store.projects.listByOrg(org.id)).filter((p) => matchesQuery(p, params.query));
  const page = pageOf(projects, params);
  return {
    org,
    page: { items: await viewProjects(ctx, principal, page.items), nextCursor: page.nextCursor },
  };
}
