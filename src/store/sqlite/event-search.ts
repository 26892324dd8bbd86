import type { SQLInputValue } from 'node:sqlite';
import { cell, discoverSql, type EventSqlDialect, eventListSql, tagKeysSql } from '../event-sql.ts';
import type { StoredEvent } from '../types.ts';
import type { EventQueryStore } from '../types-events.ts';
import type { SqliteConnection } from './connection.ts';
import { sqliteILike } from './fold-case.ts';
import { toStoredEvent } from './rows.ts';

type Row = Record<string, unknown>;

const SQLITE_DIALECT: EventSqlDialect = {
  placeholder: (index) => `?${index}`,
  typed: (placeholder) => placeholder,
  // A quoted JSON path label cannot contain a quote or backslash; json_each matches any key.
  tag: (key, param) =>
    /["\\]/.test(key)
      ? `(SELECT j.value FROM json_each(e.tags) AS j WHERE j.key = ${param(key)})`
      : `json_extract(e.tags, ${param(`$."${key}"`)})`,
  ilike: sqliteILike,
  sortText: (expr) => expr,
  userField: (field) => `json_extract(e.user_fields, '$.${field}')`,
};

/** Event search on the reader connection. */
export function createEventSearch(db: SqliteConnection): EventQueryStore {
  // Not through db.statement(): these statements vary per request and would fill its cache.
  const all = (query: { sql: string; params: unknown[] }) =>
    db.db.prepare(query.sql).all(...(query.params as SQLInputValue[])) as Row[];
  return {
    async search(query) {
      if (query.projectIds.length === 0) return { events: [], hasMore: false };
      const rows = all(eventListSql(SQLITE_DIALECT, query));
      return { events: rows.slice(0, query.limit).map(toSearchedEvent), hasMore: rows.length > query.limit };
    },
    async discover(query) {
      if (query.projectIds.length === 0) return { rows: [], hasMore: false };
      const rows = all(discoverSql(SQLITE_DIALECT, query));
      return {
        rows: rows.slice(0, query.limit).map((row) => query.select.map((_, i) => cell(row[`c${i}`]))),
        hasMore: rows.length > query.limit,
      };
    },
    async tagKeys(input) {
      if (input.projectIds.length === 0) return [];
      return all(tagKeysSql(SQLITE_DIALECT, input)).map((row) => ({
        key: String(row.key),
        uniqueValues: Number(row.unique_values),
        totalValues: Number(row.total_values),
      }));
    },
  };
}

/** A stored event with the indexed search fields, which the plain row mapper leaves out. */
function toSearchedEvent(row: Record<string, unknown>): StoredEvent {
  return {
    ...toStoredEvent(row),
    title: String(row.title),
    culprit: String(row.culprit),
    eventType: String(row.event_type),
    errorType: row.error_type === null ? null : String(row.error_type),
    errorValue: row.error_value === null ? null : String(row.error_value),
    tags: JSON.parse(String(row.tags ?? '{}')),
  };
}
