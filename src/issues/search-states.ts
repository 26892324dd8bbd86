import type { AppContext } from '../context.ts';
import type { AssigneeMatch, IssueCondition, UserFieldName } from '../store/types-issues.ts';
import type { SearchScope } from './search.ts';
import { BUILT_IN_TAGS, badToken, equalityValues, type FilterTerm, requireKnownTag } from './search-keys.ts';

const DAY = 86_400_000;
/** Sentry moves a new issue to "ongoing" after 7 days; here that is read off first_seen. */
export const NEW_ISSUE_DAYS = 7;

export function newIssueCondition(now: number): IssueCondition {
  return {
    field: 'all',
    conditions: [
      { field: 'substatus', values: ['new'] },
      { field: 'firstSeen', op: '>=', value: now - NEW_ISSUE_DAYS * DAY },
    ],
  };
}

/**
 * `substatus:` as the issue shows it: a stored `new` reads `ongoing` after 7 days (issue-views.ts),
 * so `new` and `ongoing` match as `is:new` and `is:ongoing` do; other values as stored.
 */
export function substatusCondition(values: string[], now: number): IssueCondition {
  return {
    field: 'any',
    conditions: values.map((value) =>
      value === 'new' || value === 'ongoing' ? IS[value](now) : { field: 'substatus', values: [value] },
    ),
  };
}

const IS: Record<string, (now: number) => IssueCondition> = {
  unresolved: () => ({ field: 'status', values: ['unresolved'] }),
  resolved: () => ({ field: 'status', values: ['resolved'] }),
  ignored: () => ({ field: 'status', values: ['ignored'] }),
  archived: () => ({ field: 'status', values: ['ignored'] }),
  muted: () => ({ field: 'status', values: ['ignored'] }),
  assigned: () => ({ field: 'assignee', values: ['any'] }),
  unassigned: () => ({ field: 'assignee', values: ['none'] }),
  new: newIssueCondition,
  ongoing: (now) => ({
    field: 'any',
    conditions: [
      { field: 'substatus', values: ['ongoing'] },
      {
        field: 'all',
        conditions: [
          { field: 'substatus', values: ['new'] },
          { field: 'firstSeen', op: '<', value: now - NEW_ISSUE_DAYS * DAY },
        ],
      },
    ],
  }),
  regressed: () => ({ field: 'substatus', values: ['regressed'] }),
  escalating: () => ({ field: 'substatus', values: ['escalating'] }),
  // Sentry's review inbox: unresolved issues that are new, regressed or escalating.
  for_review: (now) => ({
    field: 'all',
    conditions: [
      { field: 'status', values: ['unresolved'] },
      {
        field: 'any',
        conditions: [newIssueCondition(now), { field: 'substatus', values: ['regressed', 'escalating'] }],
      },
    ],
  }),
  // No external issue trackers are linked in Firebreak.
  linked: () => ({ field: 'constant', value: false }),
  unlinked: () => ({ field: 'constant', value: true }),
  reprocessing: () => ({ field: 'constant', value: false }),
};

export function isCondition(scope: SearchScope, term: FilterTerm): IssueCondition {
  const values = equalityValues(term);
  const state = values.length === 1 ? IS[values[0].toLowerCase()] : undefined;
  if (!state) throw badToken(term, `expected one of ${Object.keys(IS).join(', ')}`);
  return state(scope.now);
}

export async function hasCondition(
  ctx: AppContext,
  scope: SearchScope,
  term: FilterTerm,
): Promise<IssueCondition> {
  const values = equalityValues(term);
  if (values.length !== 1) throw badToken(term, 'takes one key');
  const key = values[0];
  if (/^assign(ed|ee|ed_to)$/.test(key)) return { field: 'assignee', values: ['any'] } as IssueCondition;
  const userField = /^user\.(id|email|username|ip)$/.exec(key)?.[1] as UserFieldName | undefined;
  if (userField) return { field: 'hasUserField', name: userField };
  if (!BUILT_IN_TAGS.has(key)) await requireKnownTag(ctx, scope, term, key);
  return { field: 'hasTag', key } as IssueCondition;
}

/** `assigned:me|my_teams|none|#team|email`, or a list of them. */
export async function assignedCondition(
  ctx: AppContext,
  scope: SearchScope,
  term: FilterTerm,
): Promise<IssueCondition> {
  const matches: AssigneeMatch[] = [];
  for (const value of equalityValues(term)) {
    if (value === 'none') matches.push('none');
    else if (value === 'me' || value === 'my_teams') {
      const userId = scope.principal.userId;
      if (userId === null) throw badToken(term, 'this token does not belong to a user');
      if (value === 'me') matches.push({ userId });
      else matches.push(...(await teamsOf(ctx, scope, userId)).map((teamId) => ({ teamId })));
    } else if (value.startsWith('#')) {
      const team = await ctx.store.teams.getBySlug(scope.org.id, value.slice(1));
      if (!team) throw badToken(term, 'no such team');
      matches.push({ teamId: team.id });
    } else {
      const user = await ctx.store.users.getByEmail(value);
      const member = user ? await ctx.store.members.get(scope.org.id, user.id) : null;
      if (!user || !member) throw badToken(term, 'no such member');
      matches.push({ userId: user.id });
    }
  }
  return { field: 'assignee', values: matches };
}

async function teamsOf(ctx: AppContext, scope: SearchScope, userId: number): Promise<number[]> {
  const teams = await ctx.store.teams.listByOrg(scope.org.id);
  const members = await ctx.store.teams.memberIds(teams.map((team) => team.id));
  return teams.filter((team) => members.get(team.id)?.includes(userId)).map((team) => team.id);
}
