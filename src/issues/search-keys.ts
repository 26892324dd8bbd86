import { invalid } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { SearchTerm } from '../search/parse.ts';
import type { IssueCondition, UserFieldName } from '../store/types-issues.ts';
import { clip } from '../validation.ts';
import { findIssueInOrg, parseIssueRef } from './get-issue.ts';
import { latestReleaseVersions } from './latest-release.ts';
import type { SearchScope } from './search.ts';
import { assignedCondition, hasCondition, isCondition, substatusCondition } from './search-states.ts';
import { numberCondition, timeCondition } from './search-values.ts';

export type FilterTerm = Extract<SearchTerm, { kind: 'filter' }>;
type KeyHandler = (
  ctx: AppContext,
  scope: SearchScope,
  term: FilterTerm,
) => IssueCondition | Promise<IssueCondition>;

/** Tag keys every event may carry (src/digest/normalize.ts buildTags): searchable even before one is seen. */
export const BUILT_IN_TAGS = new Set([
  'level',
  'environment',
  'release',
  'server_name',
  'transaction',
  'url',
  'user',
  'browser',
  'browser.name',
  'os',
  'os.name',
  'runtime',
  'runtime.name',
  'sdk',
  'mechanism',
  'handled',
]);

const USER_FIELDS: Record<string, UserFieldName> = {
  id: 'id',
  email: 'email',
  username: 'username',
  ip: 'ip',
};

const KEYS: Record<string, KeyHandler> = {
  is: (_ctx, scope, term) => isCondition(scope, term),
  has: (ctx, scope, term) => hasCondition(ctx, scope, term),
  assigned: (ctx, scope, term) => assignedCondition(ctx, scope, term),
  assigned_or_suggested: (ctx, scope, term) => assignedCondition(ctx, scope, term),
  level: (_ctx, _scope, term) => ({ field: 'level', values: equalityValues(term) }),
  firstrelease: (_ctx, _scope, term) => ({ field: 'firstRelease', values: equalityValues(term) }),
  substatus: (_ctx, scope, term) => substatusCondition(equalityValues(term), scope.now),
  release: (ctx, scope, term) => releaseCondition(ctx, scope, term),
  environment: (_ctx, _scope, term) => tag('environment', equalityValues(term)),
  firstseen: (_ctx, scope, term) => timeCondition('firstSeen', term, scope.now),
  lastseen: (_ctx, scope, term) => timeCondition('lastSeen', term, scope.now),
  timesseen: (_ctx, _scope, term) => numberCondition('timesSeen', term),
  message: (_ctx, _scope, term) => ({
    field: 'any',
    conditions: equalityValues(term).map((value) => ({ field: 'text', value })),
  }),
  'error.type': (_ctx, _scope, term) => ({ field: 'errorType', values: equalityValues(term) }),
  'error.value': (_ctx, _scope, term) => ({ field: 'errorValue', values: equalityValues(term) }),
  'error.handled': (_ctx, _scope, term) => handledCondition(booleanValue(term)),
  'error.unhandled': (_ctx, _scope, term) => handledCondition(!booleanValue(term)),
  // Every Firebreak issue is an error issue (Sentry's category `error`, type `error`).
  'issue.category': (_ctx, _scope, term) => ({
    field: 'constant',
    value: equalityValues(term).includes('error'),
  }),
  'issue.type': (_ctx, _scope, term) => ({
    field: 'constant',
    value: equalityValues(term).includes('error'),
  }),
  issue: (ctx, scope, term) => issueCondition(ctx, scope, term),
  'issue.id': (ctx, scope, term) => issueCondition(ctx, scope, term),
};

const ALIASES: Record<string, string> = {
  age: 'firstseen',
  'first-seen': 'firstseen',
  first_seen: 'firstseen',
  'last-seen': 'lastseen',
  last_seen: 'lastseen',
  times_seen: 'timesseen',
  'first-release': 'firstrelease',
  first_release: 'firstrelease',
};

export async function conditionsForTerm(
  ctx: AppContext,
  scope: SearchScope,
  term: FilterTerm,
): Promise<IssueCondition[]> {
  const negate = term.op === '!=';
  const explicitTag = /^!?tags\[/.test(term.raw);
  const name = term.key.toLowerCase();
  const handler = explicitTag ? undefined : KEYS[ALIASES[name] ?? name];
  const userField = /^user\.(\w+)$/.exec(term.key)?.[1];
  let condition: IssueCondition;
  if (handler) condition = await handler(ctx, scope, term);
  else if (!explicitTag && userField && USER_FIELDS[userField])
    condition = await userFieldCondition(ctx, scope, term, USER_FIELDS[userField]);
  else condition = await customTagCondition(ctx, scope, term);
  return [negate ? { ...condition, negate: !condition.negate } : condition];
}

/** Past this many users matched, a `user.*` pattern is refused rather than listed into the query. */
const MAX_MATCHED_USERS = 10_000;

/**
 * `user.email:…` and its kin match any identity of the issues' users: the `user` tag names each
 * user's first identity (`email:…` when the email is its first), and the users with several
 * identities are looked up by the others (user_identities) and matched, in their own project, by
 * the key the tag holds.
 */
async function userFieldCondition(
  ctx: AppContext,
  scope: SearchScope,
  term: FilterTerm,
  name: UserFieldName,
): Promise<IssueCondition> {
  const values = equalityValues(term);
  const projectIds = scope.projects.map((p) => p.id);
  const users =
    projectIds.length === 0
      ? []
      : await ctx.store.issues.userKeysWithIdentity(projectIds, name, values, MAX_MATCHED_USERS + 1);
  if (users.length > MAX_MATCHED_USERS)
    throw badToken(term, `matches more than ${MAX_MATCHED_USERS} users; narrow the pattern`);
  const keysByProject = new Map<number, string[]>();
  for (const { projectId, userKey } of users) {
    const keys = keysByProject.get(projectId);
    if (keys) keys.push(userKey);
    else keysByProject.set(projectId, [userKey]);
  }
  return {
    field: 'any',
    conditions: [
      tag(
        'user',
        values.map((v) => `${name}:${v}`),
      ),
      ...[...keysByProject].map(
        ([projectId, keys]): IssueCondition => ({
          field: 'all',
          conditions: [
            { field: 'project', values: [projectId] },
            { field: 'tag', key: 'user', values: keys, literal: true },
          ],
        }),
      ),
    ],
  };
}

async function customTagCondition(ctx: AppContext, scope: SearchScope, term: FilterTerm) {
  const values = equalityValues(term);
  if (!BUILT_IN_TAGS.has(term.key)) await requireKnownTag(ctx, scope, term, term.key);
  return tag(term.key, values);
}

/** A key nobody sends is far more likely a typo than a tag: refuse it rather than match nothing. */
export async function requireKnownTag(ctx: AppContext, scope: SearchScope, term: FilterTerm, key: string) {
  const ids = scope.projects.map((p) => p.id);
  if (ids.length === 0 || !(await ctx.store.issues.tagKeyExists(ids, key)))
    throw badToken(term, `unknown search key "${key.slice(0, 60)}"`);
}

async function releaseCondition(ctx: AppContext, scope: SearchScope, term: FilterTerm) {
  const values = equalityValues(term);
  if (!values.includes('latest')) return tag('release', values);
  const latest = await latestReleaseVersions(ctx, scope.org.id, scope.projects);
  return tag('release', [...values.filter((v) => v !== 'latest'), ...latest]);
}

/** `issue:` takes ids and short ids, `issue.id:` ids; one the searched projects lack matches nothing. */
async function issueCondition(
  ctx: AppContext,
  scope: SearchScope,
  term: FilterTerm,
): Promise<IssueCondition> {
  const values = equalityValues(term);
  const shortIdsAllowed = term.key.toLowerCase() === 'issue';
  for (const value of values) {
    const ref = parseIssueRef(value);
    if (!ref || (!shortIdsAllowed && !('id' in ref)))
      throw badToken(term, shortIdsAllowed ? 'expected an issue id or short id' : 'expected an issue id');
  }
  const found = await Promise.all(values.map((value) => findIssueInOrg(ctx, scope.org, value)));
  const ids = found.flatMap((hit) =>
    hit && scope.projects.some((p) => p.id === hit.project.id) ? [hit.issue.id] : [],
  );
  return { field: 'id', values: ids };
}

function tag(key: string, values: string[]): IssueCondition {
  return { field: 'tag', key, values };
}

/**
 * Sentry counts an exception without a mechanism's `handled` flag as handled (and `handled` is
 * tagged only when the flag is there): an issue is handled when one of its events was, or when
 * none said either way; unhandled when one of its events was.
 */
function handledCondition(handled: boolean): IssueCondition {
  if (!handled) return tag('handled', ['no']);
  return {
    field: 'any',
    conditions: [tag('handled', ['yes']), { field: 'hasTag', key: 'handled', negate: true }],
  };
}

/** Values of a `key:value` / `key:[a, b]` term; comparisons make no sense for these keys. */
export function equalityValues(term: FilterTerm): string[] {
  if (term.op !== '=' && term.op !== '!=') throw badToken(term, 'this key cannot be compared');
  return term.values;
}

function booleanValue(term: FilterTerm): boolean {
  const [value] = equalityValues(term);
  if (term.values.length === 1 && /^(1|true|yes)$/i.test(value)) return true;
  if (term.values.length === 1 && /^(0|false|no)$/i.test(value)) return false;
  throw badToken(term, 'expected true or false');
}

export function badToken(term: FilterTerm, why: string) {
  return invalid(`invalid search token "${clip(term.raw)}": ${why}`);
}
