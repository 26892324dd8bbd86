import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { ListInput, matchesQuery, type Page, pageOf } from './paging.ts';

/** The organisations the caller can see: its token's organisation, or the user's memberships. */
export async function listOrgs(ctx: AppContext, principal: Principal, input: unknown): Promise<Page<Org>> {
  requireScope(principal, 'org:read', 'org:write', 'org:admin');
  const params = parseInput(ListInput, input);
  let orgs: Org[];
  if (principal.orgId !== null) {
    const org = await ctx.store.orgs.getById(principal.orgId);
    const member =
      org && principal.userId !== null ? await ctx.store.members.get(org.id, principal.userId) : true;
    orgs = org && member ? [org] : [];
  } else if (principal.userId !== null) {
    orgs = await ctx.store.orgs.listForUser(principal.userId);
  } else {
    orgs = [];
  }
  return pageOf(
    orgs.filter((org) => matchesQuery(org, params.query)),
    params,
  );
}
