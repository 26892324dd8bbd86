import { AppError, notFound, unauthorized } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { ApiToken, Org } from '../store/types.ts';
import type { OrgRole } from '../store/types-accounts.ts';
import { expandScopes, ROLE_SCOPES, type Scope } from './scopes.ts';
import { hashToken } from './tokens.ts';

/**
 * Who is calling the Web API, and what they may do. Built per request: resolveOrg sets `role`
 * for a user's token once the organisation is known, which can only narrow `scopes`.
 */
export interface Principal {
  tokenId: number;
  kind: ApiToken['kind'];
  userId: number | null;
  /** The organisation the token is bound to; null = the user's memberships decide. */
  orgId: number | null;
  /** The token's scopes with what they imply (org:admin ⇒ org:write ⇒ org:read; org:ci). */
  scopes: ReadonlySet<string>;
  /** The scopes the token was created with, as shown to clients. */
  tokenScopes: readonly string[];
  /** Written into audit and timeline rows. */
  actor: string;
  /** The user's role in the organisation being accessed (user tokens, after resolveOrg). */
  role: OrgRole | null;
  /** Every requireScope so far, re-checked when `role` narrows the scopes. */
  demanded: Scope[][];
}

/** What the caller may do in one organisation: its role there (user tokens) and the scopes in force. */
export interface OrgAccess {
  role: OrgRole | null;
  scopes: ReadonlySet<string>;
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
    kind: token.kind,
    userId: token.userId,
    orgId: token.orgId,
    scopes: expandScopes(token.scopes),
    tokenScopes: token.scopes,
    actor: token.userId ? `user:${token.userId}` : `token:${token.id}`,
    role: null,
    demanded: [],
  };
}

/**
 * For endpoints Sentry also answers anonymously (`GET /api/0/`): no credentials at all is null;
 * credentials that do not authenticate are still 401.
 */
export async function authenticateOptionalBearer(
  ctx: AppContext,
  authorization: string | undefined,
): Promise<Principal | null> {
  if (authorization === undefined || authorization.trim() === '') return null;
  return authenticateBearer(ctx, authorization);
}

/** The scopes in force: the token's, capped by the user's role once the organisation is known. */
export function effectiveScopes(principal: Principal): Set<string> {
  const roleScopes = principal.role ? ROLE_SCOPES[principal.role] : null;
  return new Set([...principal.scopes].filter((scope) => !roleScopes || roleScopes.has(scope)));
}

/** The one scope check: passes when the caller holds any of `anyOf`, else 403. */
export function requireScope(principal: Principal, ...anyOf: Scope[]): void {
  checkScope(effectiveScopes(principal), anyOf);
  principal.demanded.push(anyOf);
}

function checkScope(scopes: ReadonlySet<string>, anyOf: Scope[]): void {
  if (anyOf.some((scope) => scopes.has(scope))) return;
  throw new AppError(
    'FORBIDDEN',
    `You do not have permission to perform this action (needs ${anyOf.join(' or ')}).`,
  );
}

/**
 * Organisation isolation: a token never sees another organisation's data, nor learns that it
 * exists — answered exactly like a missing organisation (404). A user's token reaches only the
 * organisations the user is a member of, with at most the scopes of the user's role there.
 */
export async function requireOrgAccess(ctx: AppContext, principal: Principal, org: Org): Promise<OrgAccess> {
  if (principal.orgId !== null && principal.orgId !== org.id) throw notFound('organization');
  if (principal.userId === null) return { role: null, scopes: effectiveScopes(principal) };
  const membership = await ctx.store.members.get(org.id, principal.userId);
  if (!membership) throw notFound('organization');
  // Verbs check their scope before they know the organisation (requireScope first, then
  // resolveOrg), so the role is kept on the principal and what was demanded is checked again.
  principal.role = membership.role;
  const scopes = effectiveScopes(principal);
  for (const anyOf of principal.demanded) checkScope(scopes, anyOf);
  return { role: membership.role, scopes };
}
