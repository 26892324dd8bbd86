import type { SQLInputValue } from 'node:sqlite';
import { globPattern, likePattern, seenBetweenSql } from '../sql-text.ts';
import type { AssigneeMatch, IssueCondition, IssueFilter } from '../types-issues.ts';
import { sqliteILike } from './fold-case.ts';

/**
 * IssueFilter → SQLite predicates over `issues i`, every value a bound parameter. Each
 * predicate is never NULL, so NOT (…) is exactly the complement.
 */
export function sqliteIssuePredicates(filter: IssueFilter | undefined, params: SQLInputValue[]): string[] {
  return (filter?.conditions ?? []).map((condition) => wrapped(condition, params));
}

function wrapped(condition: IssueCondition, params: SQLInputValue[]): string {
  const predicate = predicateOf(condition, params);
  return condition.negate ? `NOT (${predicate})` : `(${predicate})`;
}

const COLUMN = { firstSeen: 'i.first_seen', lastSeen: 'i.last_seen', timesSeen: 'i.times_seen' } as const;

function predicateOf(condition: IssueCondition, params: SQLInputValue[]): string {
  const bind = (value: SQLInputValue) => {
    params.push(value);
    return '?';
  };
  const list = (values: (string | number)[]) =>
    `(SELECT value FROM json_each(${bind(JSON.stringify(values))}))`;
  switch (condition.field) {
    case 'status':
      return `i.status IN ${list(condition.values)}`;
    case 'substatus':
      return `coalesce(i.substatus, '') IN ${list(condition.values)}`;
    case 'level':
      return `i.level IN ${list(condition.values)}`;
    case 'firstRelease':
      return `coalesce(i.first_release, '') IN ${list(condition.values)}`;
    case 'firstSeen':
    case 'lastSeen':
    case 'timesSeen':
      return `${COLUMN[condition.field]} ${condition.op} ${bind(condition.value)}`;
    case 'seenBetween':
      return seenBetweenSql(condition.start, condition.end, bind);
    case 'id':
      return `i.id IN ${list(condition.values)}`;
    case 'tag': {
      // Bound in the order the text reads (SQLite's parameters are positional): the key first.
      const key = bind(condition.key);
      const match = condition.literal
        ? `t.value IN ${list(condition.values)}`
        : valueMatch('t.value', condition.values, bind, list);
      return `EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = ${key}
        AND (${match}))`;
    }
    case 'project':
      return `i.project_id IN ${list(condition.values)}`;
    case 'hasTag':
      return `EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = ${bind(condition.key)})`;
    case 'hasUserField':
      return `EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = 'user'
        AND (t.value GLOB ${bind(`${condition.name}:*`)} OR EXISTS (SELECT 1 FROM user_identities u
          WHERE u.project_id = i.project_id AND u.user_key = t.value AND u.field = ${bind(condition.name)})))`;
    case 'assignee':
      return condition.values.map((match) => assigneePredicate(match, bind)).join(' OR ') || '0';
    case 'text': {
      // Case-insensitive in every script, as PostgreSQL's ILIKE; `*` is Sentry's wildcard.
      const pattern = `%${likePattern(condition.value)}%`;
      return `${sqliteILike('i.title', bind(pattern), pattern)} OR ${sqliteILike('i.culprit', bind(pattern), pattern)}`;
    }
    case 'errorType':
    case 'errorValue': {
      const path = condition.field === 'errorType' ? '$.type' : '$.value';
      // A message issue's metadata holds its text as `value` too, but it has no exception.
      const match = valueMatch(
        `coalesce(json_extract(i.metadata, '${path}'), '')`,
        condition.values,
        bind,
        list,
      );
      return `i.type = 'error' AND (${match})`;
    }
    case 'constant':
      return condition.value ? '1' : '0';
    case 'all':
      return condition.conditions.map((c) => wrapped(c, params)).join(' AND ') || '1';
    case 'any':
      return condition.conditions.map((c) => wrapped(c, params)).join(' OR ') || '0';
  }
}

function assigneePredicate(match: AssigneeMatch, bind: (value: SQLInputValue) => string): string {
  if (match === 'any') return 'i.assignee_user_id IS NOT NULL OR i.assignee_team_id IS NOT NULL';
  if (match === 'none') return 'i.assignee_user_id IS NULL AND i.assignee_team_id IS NULL';
  if ('userId' in match) return `i.assignee_user_id IS ${bind(match.userId)}`;
  return `i.assignee_team_id IS ${bind(match.teamId)}`;
}

/** Exact values by IN; values with `*` (Sentry's wildcard) by GLOB, case-sensitive as in PostgreSQL. */
function valueMatch(
  column: string,
  values: string[],
  bind: (value: SQLInputValue) => string,
  list: (values: string[]) => string,
): string {
  const exact = values.filter((v) => !v.includes('*'));
  const parts = exact.length > 0 ? [`${column} IN ${list(exact)}`] : [];
  for (const wildcard of values.filter((v) => v.includes('*'))) {
    parts.push(`${column} GLOB ${bind(globPattern(wildcard))}`);
  }
  return parts.join(' OR ') || '0';
}
