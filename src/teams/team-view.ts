import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { type ProjectView, viewProjects } from '../projects/project-view.ts';
import type { Team } from '../store/types-accounts.ts';

/** A team with what Sentry's team serializer shows beside it. */
export interface TeamView {
  team: Team;
  memberCount: number;
  /** Whether the calling user is on the team (false for tokens without a user). */
  isMember: boolean;
  /** Present when asked for (Sentry's `detailed`). */
  projects?: ProjectView[];
}

export async function viewTeams(
  ctx: AppContext,
  principal: Principal,
  teams: Team[],
  options: { withProjects: boolean },
): Promise<TeamView[]> {
  if (teams.length === 0) return [];
  const ids = teams.map((t) => t.id);
  const members = await ctx.store.teams.memberIds(ids);
  const projectsByTeam = options.withProjects ? await ctx.store.teams.projects(ids) : null;
  const projectViews = projectsByTeam
    ? new Map(
        (await viewProjects(ctx, principal, uniqueById([...projectsByTeam.values()].flat()))).map((view) => [
          view.project.id,
          view,
        ]),
      )
    : null;
  return teams.map((team) => {
    const userIds = members.get(team.id) ?? [];
    const view: TeamView = {
      team,
      memberCount: userIds.length,
      isMember: principal.userId !== null && userIds.includes(principal.userId),
    };
    if (projectViews) {
      view.projects = (projectsByTeam?.get(team.id) ?? [])
        .map((p) => projectViews.get(p.id)!)
        .filter(Boolean);
    }
    return view;
  });
}

function uniqueById<T extends { id: number }>(items: T[]): T[] {
  return [...new Map(items.map((item) => [item.id, item])).values()];
}
