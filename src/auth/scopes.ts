import { invalid } from '../app-error.ts';
import type { OrgRole } from '../store/types-accounts.ts';

/** Sentry's token scopes (reference/sentry-protocol.md §5.4) plus Firebreak's incident scopes. */
export const ALL_SCOPES = [
  'org:read',
  'org:write',
  'org:admin',
  'org:ci',
  'project:read',
  'project:write',
  'project:admin',
  'project:releases',
  'team:read',
  'team:write',
  'team:admin',
  'member:read',
  'member:write',
  'member:admin',
  'event:read',
  'event:write',
  'event:admin',
  'incident:read',
  'incident:write',
  'alerts:read',
  'alerts:write',
] as const;
export type Scope = (typeof ALL_SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

/**
 * What a scope also grants. Sentry's SENTRY_SCOPE_HIERARCHY_MAPPING: admin ⇒ write ⇒ read.
 * `org:ci` (the only scope of an organisation token) reads the organisation (`info`,
 * `projects list`, reference §5.4); the release, deploy and commit endpoints name `org:ci`
 * themselves (releases/access.ts). It implies neither project:read, which would reveal DSN keys
 * and their secrets, nor project:releases, which would let CI delete releases.
 */
const IMPLIES: Partial<Record<Scope, readonly Scope[]>> = {
  'org:write': ['org:read'],
  'org:admin': ['org:read', 'org:write'],
  'org:ci': ['org:read'],
  'project:write': ['project:read'],
  'project:admin': ['project:read', 'project:write'],
  'team:write': ['team:read'],
  'team:admin': ['team:read', 'team:write'],
  'member:write': ['member:read'],
  'member:admin': ['member:read', 'member:write'],
  'event:write': ['event:read'],
  'event:admin': ['event:read', 'event:write'],
  'incident:write': ['incident:read'],
  'alerts:write': ['alerts:read'],
};

export function expandScopes(scopes: Iterable<string>): Set<string> {
  const expanded = new Set<string>();
  for (const scope of scopes) {
    expanded.add(scope);
    if (isScope(scope)) for (const implied of IMPLIES[scope] ?? []) expanded.add(implied);
  }
  return expanded;
}

const MEMBER_SCOPES: readonly Scope[] = [
  'org:read',
  'project:read',
  'project:releases',
  'team:read',
  'member:read',
  'event:read',
  'event:write',
  'incident:read',
  'incident:write',
  // Sentry's members may read and write alert rules by default (its `alerts:write` member default).
  'alerts:read',
  'alerts:write',
];

/**
 * The most a user's token can do in an organisation, by the user's role there (Sentry's
 * member / admin / owner; admin manages projects and teams but not the organisation or its members).
 */
export const ROLE_SCOPES: Record<OrgRole, ReadonlySet<string>> = {
  member: new Set(MEMBER_SCOPES),
  admin: new Set<string>([
    ...MEMBER_SCOPES,
    'project:write',
    'project:admin',
    'team:write',
    'team:admin',
    'event:admin',
  ]),
  owner: new Set<string>(ALL_SCOPES),
};

export const ORG_ROLES: readonly OrgRole[] = ['member', 'admin', 'owner'];

/** `a,b c` → validated scopes; unknown names are a VALIDATION error naming them. */
export function parseScopeList(list: string | readonly string[]): Scope[] {
  const names = (typeof list === 'string' ? list.split(/[\s,]+/) : list).filter((s) => s !== '');
  const unknown = names.filter((name) => !isScope(name));
  if (unknown.length > 0) {
    throw invalid(
      `unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${ALL_SCOPES.join(', ')})`,
    );
  }
  if (names.length === 0) throw invalid('at least one scope is required');
  return [...new Set(names as Scope[])];
}
