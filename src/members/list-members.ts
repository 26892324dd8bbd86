import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { ListInput, type Page, pageOf } from '../orgs/paging.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import type { MemberWithUser, Team } from '../store/types-accounts.ts';
import { parseInput } from '../validation.ts';
import { resolveMember } from './resolve-member.ts';

export interface MemberView {
  member: MemberWithUser;
  teams: Team[];
}

/** GET /organizations/{org}/members/; `query` matches email or name. */
export async function listMembers(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
): Promise<{ org: Org; page: Page<MemberView> }> {
  requireScope(principal, 'member:read', 'member:write', 'member:admin');
  const params = parseInput(ListInput, input);
  const org = await resolveOrg(ctx, principal, input.org);
  const needle = params.query?.trim().toLowerCase() ?? '';
  const members = (await ctx.store.members.listByOrg(org.id)).filter(
    (m) => m.user.email.includes(needle) || m.user.name.toLowerCase().includes(needle),
  );
  const page = pageOf(members, params);
  return { org, page: { items: await viewMembers(ctx, org, page.items), nextCursor: page.nextCursor } };
}

export async function getMember(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; memberId: string },
): Promise<{ org: Org; view: MemberView }> {
  requireScope(principal, 'member:read', 'member:write', 'member:admin');
  const { org, member } = await resolveMember(ctx, principal, input);
  const [view] = await viewMembers(ctx, org, [member]);
  return { org, view };
}

/** Each member with the organisation's teams they are on (one query, whatever the page size). */
export async function viewMembers(
  ctx: AppContext,
  org: Org,
  members: MemberWithUser[],
): Promise<MemberView[]> {
  if (members.length === 0) return [];
  const teams = await ctx.store.teams.listByMembers(
    org.id,
    members.map((member) => member.userId),
  );
  return members.map((member) => ({ member, teams: teams.get(member.userId) ?? [] }));
}
