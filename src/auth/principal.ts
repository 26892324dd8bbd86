import { AppError, notFound, unauthorized } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import type { Scope } from './scopes.ts';
import { hashToken } from './tokens.ts';

/** Who is calling the Web API, and what they may do. */
export interface Principal {
  tokenId: number;
  userId: number | null;
  /** The organisation the token is bound to; null = the user's memberships decide. */
  orgId: number | null;
  scopes: ReadonlySet<string>;
  /** Written into audit and timeline rows. */
  actor: string;
}

export async function authenticateBearer(
  ctx: AppContext,
  authorization: string | undefined,
): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) throw unauthorized('Authentication credentials were not provided.');
  const token = await ctx.store.tokens.getByHash(hashToken(match[1]));
  if (!token) throw unauthorized('Invalid token');
  const now = ctx.clock.now();
  // Touch at most once a minute: a write per request would cost more than the request.
  if (!token.lastUsedAt || now - token.lastUsedAt > 60_000) await ctx.store.tokens.touch(token.id, now);
  return {
    tokenId: token.id,
    userId: token.userId,
    orgId: token.orgId,
    scopes: new Set(token.scopes),
    actor: token.userId ? `user:${token.userId}` : `token:${token.id}`,
  };
}

export function requireScope(principal: Principal, ...anyOf: Scope[]): void {
  if (anyOf.some((scope) => principal.scopes.has(scope))) return;
  throw new AppError(
    'FORBIDDEN',
    `You do not have permission to perform this action (needs ${anyOf.join(' or ')}).`,
  );
}

/**
 * Organisation isolation: a token never sees another organisation's data, nor learns that it
 * exists — answered exactly like a missing organisation (404).
 */
export function requireOrgAccess(principal: Principal, org: Org): void {
  if (principal.orgId !== org.id) throw notFound('organization');
}
