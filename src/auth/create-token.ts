import { invalid, notFound } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import type { Store } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { CreateTokenInput } from './schemas.ts';
import { parseScopeList } from './scopes.ts';
import { generateOrgToken, generateUserToken, hashToken, tokenPrefix } from './tokens.ts';

export interface CreatedToken {
  id: string;
  /** Shown once; only its hash is stored. */
  token: string;
  kind: 'user' | 'org';
  name: string;
  org: string | null;
  user: string | null;
  scopes: string[];
}

/**
 * Mints an API token. An organisation token (`sntrys_…`) carries the server URL and the
 * organisation and has the single scope `org:ci`, so CI needs one secret. A user token
 * (`sntryu_…`) either acts as a user (`user`; capped by the user's role in each organisation,
 * and bound to `org` when given) or is bound to one organisation without a user.
 */
export async function createToken(
  deps: { store: Store; now: number; publicUrl: string; actor?: string },
  input: unknown,
): Promise<CreatedToken> {
  const data = parseInput(CreateTokenInput, input);
  const { store, now } = deps;
  const org = data.org ? await store.orgs.getBySlug(data.org) : null;
  if (data.org && !org) throw notFound(`organization ${data.org}`);
  const user = data.user ? await store.users.getByEmail(data.user) : null;
  if (data.user && !user) throw notFound(`user ${data.user}`);
  if (org && user && !(await store.members.get(org.id, user.id))) {
    throw invalid(`${data.user} is not a member of ${data.org}`);
  }

  let token: string;
  let scopes: string[];
  if (data.kind === 'org') {
    if (!org) throw invalid('an organisation token needs --org');
    if (user) throw invalid('an organisation token belongs to the organisation, not a user: drop --user');
    scopes = data.scopes === undefined ? ['org:ci'] : parseScopeList(data.scopes);
    if (scopes.length !== 1 || scopes[0] !== 'org:ci') {
      throw invalid('an organisation token has the single scope org:ci (use --kind user for other scopes)');
    }
    token = generateOrgToken({ url: deps.publicUrl, org: org.slug, now });
  } else {
    if (!org && !user) throw invalid('a token needs --org, --user or both');
    if (data.scopes === undefined)
      throw invalid('--scopes is required (e.g. org:read,project:read,event:read)');
    scopes = parseScopeList(data.scopes);
    token = generateUserToken();
  }
  const name = data.name ?? (data.kind === 'org' ? `CI ${org?.slug}` : 'API token');
  const prefix = tokenPrefix(token);
  // The audit log is per organisation: a token bound to none (a user's own) has no row.
  const audit = org
    ? auditEntry(
        { orgId: org.id, actor: deps.actor ?? 'system', now },
        'api-token.create',
        { type: 'api-token' },
        { name, kind: data.kind, scopes, token_prefix: prefix, user: user?.email ?? null },
      )
    : undefined;
  const stored = await store.tokens.create(
    {
      kind: data.kind,
      orgId: org?.id ?? null,
      userId: user?.id ?? null,
      name,
      scopes,
      tokenHash: hashToken(token),
      tokenPrefix: prefix,
      createdAt: now,
    },
    audit,
  );
  return {
    id: String(stored.id),
    token,
    kind: data.kind,
    name,
    org: org?.slug ?? null,
    user: user?.email ?? null,
    scopes,
  };
}
