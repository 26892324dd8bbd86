import { notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import type { MemberWithUser } from '../store/types-accounts.ts';

/** A member named in a URL by id (the user's id) or `me`, within the organisation. */
export async function resolveMember(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; memberId: string },
): Promise<{ org: Org; member: MemberWithUser }> {
  const org = await resolveOrg(ctx, principal, input.org);
  const userId =
    input.memberId === 'me'
      ? principal.userId
      : /^\d{1,15}$/.test(input.memberId)
        ? Number(input.memberId)
        : null;
  const membership = userId === null ? null : await ctx.store.members.get(org.id, userId);
  const user = membership ? await ctx.store.users.getById(membership.userId) : null;
  if (!membership || !user) throw notFound('member');
  return { org, member: { ...membership, user } };
}
