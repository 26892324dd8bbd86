import { invalid, notFound } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import type { ApiToken, Store } from '../store/types.ts';
import { hashToken } from './tokens.ts';

/**
 * Revokes a token named by its id, the whole token, or the prefix `token list` shows. A
 * revoked token is refused at once (401); revoking twice is NOT_FOUND.
 */
export async function revokeToken(
  deps: { store: Store; now: number; actor?: string },
  reference: string,
): Promise<ApiToken> {
  const token = await findToken(deps.store, reference.trim());
  if (!token || token.revokedAt !== null) throw notFound(`active token ${describe(reference)}`);
  const audit =
    token.orgId === null
      ? undefined
      : auditEntry(
          { orgId: token.orgId, actor: deps.actor ?? 'system', now: deps.now },
          'api-token.revoke',
          { type: 'api-token', id: token.id },
          { name: token.name, kind: token.kind, token_prefix: token.tokenPrefix },
        );
  if (!(await deps.store.tokens.revoke(token.id, deps.now, audit)))
    throw notFound(`active token ${describe(reference)}`);
  return { ...token, revokedAt: deps.now };
}

async function findToken(store: Store, reference: string): Promise<ApiToken | null> {
  if (/^\d{1,15}$/.test(reference)) return store.tokens.getById(Number(reference));
  const byHash = await store.tokens.getByHash(hashToken(reference));
  if (byHash) return byHash;
  const matches = (await store.tokens.list({})).filter(
    (t) => t.tokenPrefix === reference.replace('...', '…'),
  );
  if (matches.length > 1) throw invalid(`${reference} matches ${matches.length} tokens; use the id`);
  return matches[0] ?? null;
}

/** Never echo a whole secret back. */
function describe(reference: string): string {
  return reference.length > 16 ? `${reference.slice(0, 12)}…` : reference;
}
