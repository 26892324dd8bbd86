import { notFound } from '../app-error.ts';
import { type Principal, requireOrgAccess } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Org, Project } from '../store/types.ts';

/** The organisation named in a URL, if it exists and the caller may see it. */
export async function resolveOrg(ctx: AppContext, principal: Principal, slug: string): Promise<Org> {
  const org = await ctx.store.orgs.getBySlug(slug);
  if (!org) throw notFound('organization');
  requireOrgAccess(principal, org);
  return org;
}

export async function resolveProject(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  projectSlug: string,
): Promise<{ org: Org; project: Project }> {
  const org = await resolveOrg(ctx, principal, orgSlug);
  const project = await ctx.store.projects.getBySlug(org.id, projectSlug);
  if (!project) throw notFound('project');
  return { org, project };
}
