import { auditEntry } from '../audit/audit-entry.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { ListInput, type Page, pageOf } from '../orgs/paging.ts';
import { resolveProject, resolveTeam } from '../orgs/resolve.ts';
import { type ProjectView, viewProjects } from '../projects/project-view.ts';
import type { Org } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { type TeamView, viewTeams } from './team-view.ts';

/** GET /teams/{org}/{team}/projects/ */
export async function listTeamProjects(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; team: string } & Record<string, unknown>,
): Promise<{ org: Org; page: Page<ProjectView> }> {
  requireScope(principal, 'project:read', 'project:write', 'project:admin');
  const params = parseInput(ListInput, input);
  const { org, team } = await resolveTeam(ctx, principal, input.org, input.team);
  const projects = (await ctx.store.teams.projects([team.id])).get(team.id) ?? [];
  const page = pageOf(projects, params);
  return {
    org,
    page: { items: await viewProjects(ctx, principal, page.items), nextCursor: page.nextCursor },
  };
}

/** GET /projects/{org}/{project}/teams/ (MCP `add_team_to_project` reads it). */
export async function listProjectTeams(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string } & Record<string, unknown>,
): Promise<{ org: Org; page: Page<TeamView> }> {
  requireScope(principal, 'project:read', 'project:write', 'project:admin');
  const params = parseInput(ListInput, input);
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  const teams = (await ctx.store.teams.listByProjects([project.id])).get(project.id) ?? [];
  const page = pageOf(teams, params);
  const items = await viewTeams(ctx, principal, page.items, { withProjects: false });
  return { org, page: { items, nextCursor: page.nextCursor } };
}

/**
 * POST / DELETE /projects/{org}/{project}/teams/{team}/ — gives the team access to the project,
 * or takes it away; both idempotent, answering the project as it now is.
 */
export async function setProjectTeam(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; team: string; linked: boolean },
): Promise<{ org: Org; view: ProjectView }> {
  requireScope(principal, 'project:write', 'project:admin');
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  const { team } = await resolveTeam(ctx, principal, input.org, input.team);
  const audit = auditEntry(
    { orgId: org.id, actor: principal.actor, now: ctx.clock.now() },
    input.linked ? 'team.project-add' : 'team.project-remove',
    { type: 'team', id: team.id },
    { team: team.slug, project: project.slug },
  );
  if (input.linked) await ctx.store.teams.addProject(team.id, project.id, audit);
  else await ctx.store.teams.removeProject(team.id, project.id, audit);
  const [view] = await viewProjects(ctx, principal, [project]);
  return { org, view };
}
