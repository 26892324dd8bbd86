import { AppError, notFound } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { type MemberView, viewMembers } from './list-members.ts';
import { resolveMember } from './resolve-member.ts';
import { AddMemberInput, UpdateMemberInput } from './schemas.ts';

/**
 * POST /organizations/{org}/members/ — adds an existing user (Firebreak sends no invitations:
 * `firebreak user create` makes the user) with a role, and optionally onto teams.
 */
export async function addMember(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; body: unknown },
): Promise<{ org: Org; view: MemberView }> {
  requireScope(principal, 'member:write', 'member:admin');
  const data = parseInput(AddMemberInput, input.body ?? {});
  if (data.role === 'owner') requireOwnerGrant(principal);
  const org = await resolveOrg(ctx, principal, input.org);
  const user = await visibleUser(ctx, principal, data.email);
  if (!user)
    throw new AppError(
      'NOT_FOUND',
      `user ${data.email} not found (create it with: npx firebreak user create)`,
    );
  const teams = [];
  for (const slug of data.teams ?? []) {
    const team = await ctx.store.teams.getBySlug(org.id, slug);
    if (!team) throw notFound(`team ${slug}`);
    teams.push(team);
  }
  const now = ctx.clock.now();
  const membership = await ctx.store.members.add(
    { orgId: org.id, userId: user.id, role: data.role, now, teamIds: teams.map((team) => team.id) },
    auditEntry(
      { orgId: org.id, actor: principal.actor, now },
      'member.add',
      { type: 'member', id: user.id },
      { email: user.email, role: data.role, teams: teams.map((team) => team.slug) },
    ),
  );
  const [view] = await viewMembers(ctx, org, [{ ...membership, user }]);
  return { org, view };
}

/**
 * Making someone an owner, or an owner something less, takes member:admin: an owner holds every
 * scope, so a token trusted to manage members (member:write) must not be able to mint owners.
 */
function requireOwnerGrant(principal: Principal): void {
  requireScope(principal, 'member:admin');
}

/**
 * The user with this email, if the caller may add them: a user in no organisation yet (made by
 * `firebreak user create` for this), or one who shares an organisation with the caller. Anyone
 * else answers as a missing user, so organisations cannot probe each other's members' emails.
 */
async function visibleUser(ctx: AppContext, principal: Principal, email: string) {
  const user = await ctx.store.users.getByEmail(email);
  if (!user) return null;
  const theirs = await ctx.store.orgs.listForUser(user.id);
  if (theirs.length === 0) return user;
  // A token bound to one organisation sees through that one alone: its user's membership of
  // another must not let it pull that organisation's members in (or probe their emails).
  const mine = new Set<number>();
  if (principal.orgId !== null) mine.add(principal.orgId);
  else if (principal.userId !== null)
    for (const org of await ctx.store.orgs.listForUser(principal.userId)) mine.add(org.id);
  return theirs.some((org) => mine.has(org.id)) ? user : null;
}

/** PUT /organizations/{org}/members/{id}/ {orgRole}; the last owner cannot be demoted. */
export async function updateMember(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; memberId: string; body: unknown },
): Promise<{ org: Org; view: MemberView }> {
  requireScope(principal, 'member:write', 'member:admin');
  const data = parseInput(UpdateMemberInput, input.body ?? {});
  const { org, member } = await resolveMember(ctx, principal, input);
  const role = data.role as NonNullable<typeof data.role>;
  if (role === member.role) return { org, view: (await viewMembers(ctx, org, [member]))[0] };
  if (role === 'owner' || member.role === 'owner') requireOwnerGrant(principal);
  // The store refuses to demote the last owner (CONFLICT) in the same write that changes the role.
  const updated = await ctx.store.members.setRole(
    org.id,
    member.userId,
    role,
    auditEntry(
      { orgId: org.id, actor: principal.actor, now: ctx.clock.now() },
      'member.edit',
      { type: 'member', id: member.userId },
      { email: member.user.email, role, previous_role: member.role },
    ),
  );
  if (!updated) throw notFound('member');
  const [view] = await viewMembers(ctx, org, [{ ...member, ...updated }]);
  return { org, view };
}

/** DELETE /organizations/{org}/members/{id}/; the user's tokens stop reaching the organisation. */
export async function removeMember(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; memberId: string },
): Promise<void> {
  requireScope(principal, 'member:admin');
  const { org, member } = await resolveMember(ctx, principal, input);
  // The store refuses to remove the last owner (CONFLICT) in the same write as the removal.
  const audit = auditEntry(
    { orgId: org.id, actor: principal.actor, now: ctx.clock.now() },
    'member.remove',
    { type: 'member', id: member.userId },
    { email: member.user.email, role: member.role },
  );
  if (!(await ctx.store.members.remove(org.id, member.userId, audit))) throw notFound('member');
}
