import { likePattern, seenBetweenSql } from '../sql-text.ts';
import type { AssigneeMatch, IssueCondition, IssueFilter } from '../types-issues.ts';

/**
 * IssueFilter → PostgreSQL predicates over `issues i`, every value a bound parameter. Each
 * predicate is never NULL, so NOT (…) is exactly the complement.
 */
export function postgresIssuePredicates(filter: IssueFilter | undefined, params: unknown[]): string[] {
  const bind = (value: unknown) => `$${params.push(value)}`;
  return (filter?.conditions ?? []).map((condition) => wrapped(condition, bind));
}

function wrapped(condition: IssueCondition, bind: Bind): string {
  const predicate = predicateOf(condition, bind);
  return condition.negate ? `NOT (${predicate})` : `(${predicate})`;
}

type Bind = (value: unknown) => string;

const COLUMN = { firstSeen: 'i.first_seen', lastSeen: 'i.last_seen', timesSeen: 'i.times_seen' } as const;

function predicateOf(condition: IssueCondition, bind: Bind): string {
  switch (condition.field) {
    case 'status':
      return `i.status = ANY(${bind(condition.values)}::text[])`;
    case 'substatus':
      return `coalesce(i.substatus, '') = ANY(${bind(condition.values)}::text[])`;
    case 'level':
      return `i.level = ANY(${bind(condition.values)}::text[])`;
    case 'firstRelease':
      return `coalesce(i.first_release, '') = ANY(${bind(condition.values)}::text[])`;
    case 'firstSeen':
    case 'lastSeen':
    case 'timesSeen':
      return `${COLUMN[condition.field]} ${condition.op} ${bind(condition.value)}::bigint`;
    case 'seenBetween':
      return seenBetweenSql(condition.start, condition.end, (value) => `${bind(value)}::bigint`);
    case 'id':
      return `i.id = ANY(${bind(condition.values)}::bigint[])`;
    case 'tag': {
      const match = condition.literal
        ? `t.value = ANY(${bind(condition.values)}::text[])`
        : valueMatch('t.value', condition.values, bind);
      return `EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = ${bind(condition.key)}
        AND (${match}))`;
    }
    case 'project':
      return `i.project_id = ANY(${bind(condition.values)}::bigint[])`;
    case 'hasTag':
      return `EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = ${bind(condition.key)})`;
    case 'hasUserField':
      return `EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = 'user'
        AND (t.value LIKE ${bind(`${condition.name}:%`)} OR EXISTS (SELECT 1 FROM user_identities u
          WHERE u.project_id = i.project_id AND u.user_key = t.value AND u.field = ${bind(condition.name)})))`;
    case 'assignee':
      return condition.values.map((match) => assigneePredicate(match, bind)).join(' OR ') || 'FALSE';
    case 'text': {
      const pattern = bind(`%${likePattern(condition.value)}%`);
      return `i.title ILIKE ${pattern} OR i.culprit ILIKE ${pattern}`;
    }
    case 'errorType':
    case 'errorValue': {
      const field = condition.field === 'errorType' ? 'type' : 'value';
      // A message issue's metadata holds its text as `value` too, but it has no exception.
      return `i.type = 'error' AND (${valueMatch(`coalesce(i.metadata->>'${field}', '')`, condition.values, bind)})`;
    }
    case 'constant':
      return condition.value ? 'TRUE' : 'FALSE';
    case 'all':
      return condition.conditions.map((c) => wrapped(c, bind)).join(' AND ') || 'TRUE';
    case 'any':
      return condition.conditions.map((c) => wrapped(c, bind)).join(' OR ') || 'FALSE';
  }
}

function assigneePredicate(match: AssigneeMatch, bind: Bind): string {
  if (match === 'any') return 'i.assignee_user_id IS NOT NULL OR i.assignee_team_id IS NOT NULL';
  if (match === 'none') return 'i.assignee_user_id IS NULL AND i.assignee_team_id IS NULL';
  if ('userId' in match) return `i.assignee_user_id IS NOT DISTINCT FROM ${bind(match.userId)}::bigint`;
  return `i.assignee_team_id IS NOT DISTINCT FROM ${bind(match.teamId)}::bigint`;
}

/** Exact values by = ANY; values with `*` (Sentry's wildcard) by LIKE (backslash is LIKE's escape). */
function valueMatch(column: string, values: string[], bind: Bind): string {
  const exact = values.filter((v) => !v.includes('*'));
  const parts = exact.length > 0 ? [`${column} = ANY(${bind(exact)}::text[])`] : [];
  for (const wildcard of values.filter((v) => v.includes('*'))) {
    parts.push(`${column} LIKE ${bind(likePattern(wildcard))}`);
  }
  return parts.join(' OR ') || 'FALSE';
}
