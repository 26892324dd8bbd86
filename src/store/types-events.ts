import type { StoredEvent } from './types.ts';

/**
 * Event queries beyond ingest: event lists (issue, project) and the Discover subset. The Sentry
 * field names and search syntax are mapped onto this vocabulary by src/events; the backends only
 * compile it to SQL.
 */

/** Indexed event attributes. `user.*` are derived from the primary user identity (`user_key`). */
export type EventColumn =
  | 'id'
  | 'project'
  | 'project.id'
  | 'issue'
  | 'issue.id'
  | 'timestamp'
  | 'received'
  | 'level'
  | 'release'
  | 'environment'
  | 'title'
  | 'message'
  | 'culprit'
  | 'event.type'
  | 'error.type'
  | 'error.value'
  | 'transaction'
  | 'user'
  | 'user.id'
  | 'user.email'
  | 'user.username'
  | 'user.ip'
  | 'user.display';

export type EventAttribute = { column: EventColumn } | { tag: string };

/** Columns holding numbers (ids, epoch ms); every other attribute is text. */
export const NUMERIC_COLUMNS: ReadonlySet<EventColumn> = new Set([
  'project.id',
  'issue.id',
  'timestamp',
  'received',
]);

export const isNumericAttribute = (attr: EventAttribute): boolean =>
  'column' in attr && NUMERIC_COLUMNS.has(attr.column);

export type EventAggregate =
  | { fn: 'count' }
  | { fn: 'count_unique'; attr: EventAttribute }
  | { fn: 'min' | 'max'; attr: { column: 'timestamp' } };

export type EventComparison = '>' | '>=' | '<' | '<=';

/** All filters of a query apply together (AND). Absent attributes (NULL) never equal a value. */
export type EventFilter =
  /** `=`: any of the values (an empty list matches nothing); `!=`: none of them (absent counts as none). */
  | { kind: 'in'; attr: EventAttribute; negated: boolean; values: (string | number)[] }
  | { kind: 'compare'; attr: EventAttribute; op: EventComparison; value: number }
  /** Case-insensitive glob: `*` matches any run of characters. */
  | { kind: 'like'; attr: EventAttribute; negated: boolean; pattern: string }
  | { kind: 'has'; attr: EventAttribute; negated: boolean }
  /** Case-insensitive substring of the title or the message (Sentry's free text). */
  | { kind: 'text'; value: string; negated: boolean }
  | { kind: 'issue-status'; statuses: string[]; negated: boolean };

/** A HAVING condition over an aggregate (Discover only). */
export interface AggregateFilter {
  aggregate: EventAggregate;
  op: EventComparison | '=' | '!=';
  value: number;
}

export type EventSelect = { attr: EventAttribute } | { aggregate: EventAggregate };

/** Where the events come from; every query is bound to one organisation. */
export interface EventScope {
  orgId: number;
  /** Non-empty; projects outside `orgId` match nothing. */
  projectIds: number[];
  issueId?: number;
  /** Inclusive bounds on the event timestamp, epoch ms. */
  start?: number;
  end?: number;
  filters: EventFilter[];
}

export interface EventListQuery extends EventScope {
  order: 'newest' | 'oldest';
  limit: number;
  /** Keyset position: continue after this event in `order`. */
  after?: { timestamp: number; eventId: string };
}

export interface DiscoverQuery extends EventScope {
  /** With any aggregate, rows are grouped by the non-aggregate selections. */
  select: EventSelect[];
  having: AggregateFilter[];
  /** Indexes into `select`; ties are broken deterministically. */
  orderBy: { index: number; desc: boolean }[];
  limit: number;
  offset: number;
}

/** One value per selection: strings, numbers (ids, counts, epoch ms) or null. */
export type DiscoverRow = (string | number | null)[];

export interface TagKeyCount {
  key: string;
  /** Distinct values seen. */
  uniqueValues: number;
  /** Events carrying the tag. */
  totalValues: number;
}

export interface EventQueryStore {
  /** Matching events with payloads, in timestamp order; `hasMore` when another page exists. */
  search(query: EventListQuery): Promise<{ events: StoredEvent[]; hasMore: boolean }>;
  discover(query: DiscoverQuery): Promise<{ rows: DiscoverRow[]; hasMore: boolean }>;
  /** Tag keys of the projects' issues (seen at or after `since`), by key. */
  tagKeys(input: { orgId: number; projectIds: number[]; since?: number }): Promise<TagKeyCount[]>;
}
