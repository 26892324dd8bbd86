import { notFound } from '../app-error.ts';
import { type OrgAccess, type Principal, requireOrgAccess } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Org, Project } from '../store/types.ts';
import type { Team } from '../store/types-accounts.ts';

/** The organisation named in a URL, if it exists and the caller may see it. */
export async function resolveOrg(ctx: AppContext, principal: Principal, slug: string): Promise<Org> {
  return (await resolveOrgAccess(ctx, principal, slug)).org;
}

/** resolveOrg, with the caller's role and scopes in that organisation. */
export async function resolveOrgAccess(
  ctx: AppContext,
  principal: Principal,
  slug: string,
): Promise<OrgAccess & { org: Org }> {
  const org = await ctx.store.orgs.getBySlug(slug);
  if (!org) throw notFound('organization');
  return { org, ...(await requireOrgAccess(ctx, principal, org)) };
}

/** A project by slug, or by numeric id (slugs are never only digits), within the organisation. */
export async function resolveProject(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  projectSlugOrId: string,
): Promise<{ org: Org; project: Project }> {
  const org = await resolveOrg(ctx, principal, orgSlug);
  const project = /^\d{1,15}$/.test(projectSlugOrId)
    ? await ctx.store.projects.getById(Number(projectSlugOrId))
    : await ctx.store.projects.getBySlug(org.id, projectSlugOrId);
  if (!project || project.orgId !== org.id) throw notFound('project');
  return { org, project };
}

export async function resolveTeam(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  teamSlug: string,
): Promise<{ org: Org; team: Team }> {
  const org = await resolveOrg(ctx, principal, orgSlug);
  const team = await ctx.store.teams.getBySlug(org.id, teamSlug);
  if (!team) throw notFound('team');
  return { org, team };
}
