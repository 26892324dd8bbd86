import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Project } from '../store/types.ts';
import type { Team } from '../store/types-accounts.ts';

/** A project with what Sentry's project serializer shows beside it. */
export interface ProjectView {
  project: Project;
  teams: Team[];
  /** Whether the calling user is on one of the project's teams (false for tokens without a user). */
  isMember: boolean;
}

export async function viewProjects(
  ctx: AppContext,
  principal: Principal,
  projects: Project[],
): Promise<ProjectView[]> {
  if (projects.length === 0) return [];
  const teamsByProject = await ctx.store.teams.listByProjects(projects.map((p) => p.id));
  const teamIds = [...new Set([...teamsByProject.values()].flat().map((t) => t.id))];
  const members =
    principal.userId !== null && teamIds.length > 0 ? await ctx.store.teams.memberIds(teamIds) : null;
  return projects.map((project) => {
    const teams = teamsByProject.get(project.id) ?? [];
    const isMember = teams.some(
      (team) => members?.get(team.id)?.includes(principal.userId as number) ?? false,
    );
    return { project, teams, isMember };
  });
}
