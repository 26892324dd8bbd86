import { unauthorized } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { ApiToken, User } from '../store/types.ts';

/** The user behind the token, or for a token without a user (setup, CI) the token itself. */
export async function whoami(
  ctx: AppContext,
  principal: Principal,
): Promise<{ user: User } | { token: ApiToken }> {
  const user = principal.userId !== null ? await ctx.store.users.getById(principal.userId) : null;
  if (user) return { user };
  const token = await ctx.store.tokens.getById(principal.tokenId);
  if (!token) throw unauthorized('Invalid token');
  return { token };
}
