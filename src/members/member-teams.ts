import { notFound } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import { type MemberView, viewMembers } from './list-members.ts';
import { resolveMember } from './resolve-member.ts';

/**
 * POST / DELETE /organizations/{org}/members/{id}/teams/{team}/ — joins or leaves a team. As in
 * Sentry (open membership), members may move themselves; moving others takes team:write.
 */
export async function setMemberTeam(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; memberId: string; team: string; joined: boolean },
): Promise<{ org: Org; view: MemberView }> {
  const self =
    input.memberId === 'me' || (principal.userId !== null && input.memberId === String(principal.userId));
  if (self) requireScope(principal, 'team:read', 'team:write', 'team:admin');
  else requireScope(principal, 'team:write', 'team:admin');
  const { org, member } = await resolveMember(ctx, principal, input);
  const team = await ctx.store.teams.getBySlug(org.id, input.team);
  if (!team) throw notFound('team');
  const now = ctx.clock.now();
  const audit = auditEntry(
    { orgId: org.id, actor: principal.actor, now },
    input.joined ? 'team.member-add' : 'team.member-remove',
    { type: 'team', id: team.id },
    { team: team.slug, email: member.user.email },
  );
  if (input.joined) await ctx.store.teams.addMember(team.id, member.userId, now, audit);
  else await ctx.store.teams.removeMember(team.id, member.userId, audit);
  const [view] = await viewMembers(ctx, org, [member]);
  return { org, view };
}
