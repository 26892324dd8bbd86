import { auditEntry } from '../audit/audit-entry.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { slugFromName } from '../projects/schemas.ts';
import type { Org } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { CreateTeamInput } from './schemas.ts';
import { type TeamView, viewTeams } from './team-view.ts';

/** POST /organizations/{org}/teams/ — a user creating a team joins it (as in Sentry). */
export async function createTeam(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; body: unknown },
): Promise<{ org: Org; view: TeamView }> {
  requireScope(principal, 'org:write', 'org:admin', 'team:write');
  const data = parseInput(CreateTeamInput, input.body ?? {});
  const org = await resolveOrg(ctx, principal, input.org);
  const slug = data.slug ?? slugFromName(data.name as string);
  const now = ctx.clock.now();
  const name = data.name ?? slug;
  const team = await ctx.store.teams.create(
    { orgId: org.id, slug, name, now, memberUserId: principal.userId ?? undefined },
    auditEntry(
      { orgId: org.id, actor: principal.actor, now },
      'team.create',
      { type: 'team' },
      { slug, name },
    ),
  );
  const [view] = await viewTeams(ctx, principal, [team], { withProjects: true });
  return { org, view };
}
