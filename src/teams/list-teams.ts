import { z } from 'zod';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { ListInput, matchesQuery, type Page, pageOf } from '../orgs/paging.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { type TeamView, viewTeams } from './team-view.ts';

const ListTeamsInput = ListInput.extend({
  /** Sentry: `detailed=0` leaves out each team's projects. */
  detailed: z
    .string()
    .optional()
    .transform((value) => value !== '0'),
});

/** GET /organizations/{org}/teams/ (MCP `find_teams`). */
export async function listTeams(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
): Promise<{ org: Org; page: Page<TeamView> }> {
  requireScope(principal, 'org:read', 'org:write', 'org:admin', 'team:read');
  const params = parseInput(ListTeamsInput, input);
  const org = await resolveOrg(ctx, principal, input.org);
  const teams = (await ctx.store.teams.listByOrg(org.id)).filter((t) => matchesQuery(t, params.query));
  const page = pageOf(teams, params);
  const items = await viewTeams(ctx, principal, page.items, { withProjects: params.detailed });
  return { org, page: { items, nextCursor: page.nextCursor } };
}
