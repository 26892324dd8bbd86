import { likePattern } from './sql-text.ts';
import {
  type DiscoverQuery,
  type EventAggregate,
  type EventAttribute,
  type EventColumn,
  type EventFilter,
  type EventListQuery,
  type EventScope,
  isNumericAttribute,
} from './types-events.ts';

export type SqlType = 'bigint' | 'numeric' | 'text';

/** What differs between the backends; the rest of the event SQL is shared by both. */
export interface EventSqlDialect {
  placeholder(index: number): string;
  /** A placeholder with a declared type, where the backend cannot infer it. */
  typed(placeholder: string, type: SqlType): string;
  /** The text value of tag `key` in `e.tags`, NULL when absent. */
  tag(key: string, param: (value: unknown) => string): string;
  /** `expr` matches the LIKE pattern bound at `placeholder` (escape `\\`), ignoring case. */
  ilike(expr: string, placeholder: string, pattern: string): string;
  /** Sorts text in byte order, so both backends order rows alike. */
  sortText(expr: string): string;
  /** The text of `field` in `e.user_fields` (a JSON object, or NULL). */
  userField(field: UserField): string;
}

type UserField = 'id' | 'email' | 'username' | 'ip';

/** `user.email` and its kin: the event's own identities (user_fields), else what its key names. */
const USER_COLUMNS: Partial<Record<EventColumn, UserField>> = {
  'user.id': 'id',
  'user.email': 'email',
  'user.username': 'username',
  'user.ip': 'ip',
};
/** Sentry's user.display: email, then username, id, ip. */
const USER_DISPLAY_ORDER: UserField[] = ['email', 'username', 'id', 'ip'];

const userPart = (prefix: string) =>
  `(CASE WHEN substr(e.user_key, 1, ${prefix.length}) = '${prefix}' THEN substr(e.user_key, ${prefix.length + 1}) END)`;

const COLUMN_SQL: Record<
  Exclude<
    EventColumn,
    'transaction' | 'user.id' | 'user.email' | 'user.username' | 'user.ip' | 'user.display'
  >,
  string
> = {
  id: 'e.event_id',
  project: 'p.slug',
  'project.id': 'e.project_id',
  issue: "(upper(p.slug) || '-' || i.short_id_number)",
  'issue.id': 'e.issue_id',
  timestamp: 'e.timestamp',
  received: 'e.received_at',
  level: 'e.level',
  release: 'e.release',
  environment: 'e.environment',
  title: 'e.title',
  // Sentry's message of an error event is its exception text; of a message event, the message.
  message:
    "(CASE WHEN e.event_type = 'error' THEN COALESCE(e.error_type || ': ' || e.error_value, e.error_type, e.error_value, e.title) ELSE e.title END)",
  culprit: 'e.culprit',
  'event.type': 'e.event_type',
  'error.type': 'e.error_type',
  'error.value': 'e.error_value',
  user: 'e.user_key',
};

/** Builds one statement: expressions add their parameters as they are compiled. */
export class EventSql {
  readonly params: unknown[] = [];
  #usesIssues = false;
  readonly #dialect: EventSqlDialect;

  constructor(dialect: EventSqlDialect) {
    this.#dialect = dialect;
  }

  param = (value: unknown): string => {
    this.params.push(value);
    return this.#dialect.placeholder(this.params.length);
  };

  attr(attr: EventAttribute): string {
    if ('tag' in attr) return this.#dialect.tag(attr.tag, this.param);
    if (attr.column === 'transaction') return this.#dialect.tag('transaction', this.param);
    if (attr.column === 'issue') this.#usesIssues = true;
    const userField = USER_COLUMNS[attr.column];
    if (userField) return this.#user(userField);
    if (attr.column === 'user.display') return `COALESCE(${USER_DISPLAY_ORDER.map(this.#user).join(', ')})`;
    // Every user.* column was answered above.
    return COLUMN_SQL[attr.column as keyof typeof COLUMN_SQL];
  }

  #user = (field: UserField): string =>
    `COALESCE(${this.#dialect.userField(field)}, ${userPart(`${field}:`)})`;

  aggregate(aggregate: EventAggregate): string {
    if (aggregate.fn === 'count') return 'count(*)';
    if (aggregate.fn === 'count_unique') return `count(DISTINCT ${this.attr(aggregate.attr)})`;
    return `${aggregate.fn}(e.timestamp)`;
  }

  filter(filter: EventFilter): string {
    const ilike = this.#dialect.ilike;
    switch (filter.kind) {
      case 'in': {
        if (filter.values.length === 0) return filter.negated ? '1 = 1' : '1 = 0';
        const expr = this.attr(filter.attr);
        const list = filter.values.map(this.param).join(', ');
        return filter.negated ? `(${expr} IS NULL OR ${expr} NOT IN (${list}))` : `${expr} IN (${list})`;
      }
      case 'compare':
        return `${this.attr(filter.attr)} ${filter.op} ${this.param(filter.value)}`;
      case 'like': {
        const expr = this.attr(filter.attr);
        const pattern = likePattern(filter.pattern);
        const match = ilike(expr, this.param(pattern), pattern);
        return filter.negated ? `(${expr} IS NULL OR NOT (${match}))` : match;
      }
      case 'has': {
        const expr = this.attr(filter.attr);
        const present = isNumericAttribute(filter.attr)
          ? `${expr} IS NOT NULL`
          : `(${expr} IS NOT NULL AND ${expr} <> '')`;
        return filter.negated ? `NOT ${present}` : present;
      }
      case 'text': {
        const pattern = `%${likePattern(filter.value)}%`;
        const placeholder = this.param(pattern);
        const match = `(${ilike('e.title', placeholder, pattern)} OR ${ilike("COALESCE(e.error_value, '')", placeholder, pattern)})`;
        return filter.negated ? `NOT ${match}` : match;
      }
      case 'issue-status': {
        this.#usesIssues = true;
        const list = filter.statuses.map(this.param).join(', ');
        return `i.status ${filter.negated ? 'NOT IN' : 'IN'} (${list})`;
      }
    }
  }

  /** The WHERE conditions every event query has: organisation, projects, issue, time, filters. */
  where(scope: EventScope): string {
    const parts = [
      `p.org_id = ${this.param(scope.orgId)}`,
      `e.project_id IN (${scope.projectIds.map(this.param).join(', ')})`,
    ];
    if (scope.issueId !== undefined) parts.push(`e.issue_id = ${this.param(scope.issueId)}`);
    if (scope.start !== undefined) parts.push(`e.timestamp >= ${this.param(scope.start)}`);
    if (scope.end !== undefined) parts.push(`e.timestamp <= ${this.param(scope.end)}`);
    for (const filter of scope.filters) parts.push(this.filter(filter));
    return parts.join(' AND ');
  }

  /** Call after compiling every expression: joins issues only when one needed them. */
  from(): string {
    const issues = this.#usesIssues ? ' JOIN issues i ON i.id = e.issue_id' : '';
    return `events e JOIN projects p ON p.id = e.project_id${issues}`;
  }

  sortText(expr: string): string {
    return this.#dialect.sortText(expr);
  }

  typed(value: unknown, type: SqlType): string {
    return this.#dialect.typed(this.param(value), type);
  }
}

/** Whole events (payload included) in timestamp order, one past `limit` to tell if more exist. */
export function eventListSql(
  dialect: EventSqlDialect,
  query: EventListQuery,
): { sql: string; params: unknown[] } {
  const b = new EventSql(dialect);
  const dir = query.order === 'newest' ? 'DESC' : 'ASC';
  let where = b.where(query);
  if (query.after) {
    const ts = b.typed(query.after.timestamp, 'bigint');
    const id = b.typed(query.after.eventId, 'text');
    where += ` AND (e.timestamp, e.event_id) ${dir === 'DESC' ? '<' : '>'} (${ts}, ${id})`;
  }
  const sql = `SELECT e.* FROM ${b.from()} WHERE ${where}
    ORDER BY e.timestamp ${dir}, e.event_id ${dir} LIMIT ${b.param(query.limit + 1)}`;
  return { sql, params: b.params };
}

/**
 * Discover: with an aggregate, rows group by the other selections (Discover semantics). The
 * outer query sorts by the requested columns, then by a tiebreak so offset paging is stable.
 */
export function discoverSql(
  dialect: EventSqlDialect,
  query: DiscoverQuery,
): { sql: string; params: unknown[] } {
  const b = new EventSql(dialect);
  const grouped = query.select.some((s) => 'aggregate' in s);
  const columns = query.select.map(
    (s, i) => `${'aggregate' in s ? b.aggregate(s.aggregate) : b.attr(s.attr)} AS c${i}`,
  );
  const groupBy = query.select.flatMap((s, i) => ('aggregate' in s ? [] : [`c${i}`]));
  const where = b.where(query);
  const having = query.having.map(
    (h) => `${b.aggregate(h.aggregate)} ${h.op === '!=' ? '<>' : h.op} ${b.typed(h.value, 'numeric')}`,
  );
  let inner = `SELECT ${[...columns, ...(grouped ? [] : ['e.timestamp AS k_ts', 'e.event_id AS k_id', 'e.project_id AS k_pid'])].join(', ')}
    FROM ${b.from()} WHERE ${where}`;
  if (grouped && groupBy.length > 0) inner += ` GROUP BY ${groupBy.join(', ')}`;
  if (having.length > 0) inner += ` HAVING ${having.join(' AND ')}`;
  const sortable = (i: number) => {
    const s = query.select[i];
    return 'aggregate' in s || isNumericAttribute(s.attr) ? `q.c${i}` : b.sortText(`q.c${i}`);
  };
  const order = query.orderBy.map((o) => `${sortable(o.index)} ${o.desc ? 'DESC' : 'ASC'} NULLS LAST`);
  const tiebreak = grouped
    ? query.select.flatMap((s, i) => ('aggregate' in s ? [] : [`${sortable(i)} ASC NULLS LAST`]))
    : ['q.k_ts DESC', 'q.k_pid DESC', 'q.k_id DESC'];
  const orderBy = [...order, ...tiebreak];
  const sql = `SELECT ${query.select.map((_, i) => `q.c${i}`).join(', ')} FROM (${inner}) q
    ${orderBy.length > 0 ? `ORDER BY ${orderBy.join(', ')}` : ''}
    LIMIT ${b.param(query.limit + 1)} OFFSET ${b.param(query.offset)}`;
  return { sql, params: b.params };
}

export function tagKeysSql(
  dialect: EventSqlDialect,
  input: { orgId: number; projectIds: number[]; since?: number },
): { sql: string; params: unknown[] } {
  const b = new EventSql(dialect);
  const since = input.since === undefined ? '' : ` AND t.last_seen >= ${b.param(input.since)}`;
  const sql = `SELECT t.key AS key, count(DISTINCT t.value) AS unique_values, sum(t.count) AS total_values
    FROM issue_tag_values t JOIN issues i ON i.id = t.issue_id JOIN projects p ON p.id = i.project_id
    WHERE p.org_id = ${b.param(input.orgId)} AND i.project_id IN (${input.projectIds.map(b.param).join(', ')})${since}
    GROUP BY t.key ORDER BY ${b.sortText('t.key')} LIMIT 1000`;
  return { sql, params: b.params };
}

/** A Discover result cell as both drivers return it: numbers (bigint/numeric converted) or text. */
export function cell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' || typeof value === 'string' ? value : Number(value);
}
