import type pg from 'pg';
import { cell, discoverSql, type EventSqlDialect, eventListSql, tagKeysSql } from '../event-sql.ts';
import type { StoredEvent } from '../types.ts';
import type { EventQueryStore } from '../types-events.ts';
import { rows as select } from './pool.ts';
import { toStoredEvent } from './rows.ts';

const POSTGRES_DIALECT: EventSqlDialect = {
  placeholder: (index) => `$${index}`,
  typed: (placeholder, type) => `${placeholder}::${type}`,
  tag: (key, param) => `(e.tags ->> ${param(key)})`,
  ilike: (expr, placeholder) => `${expr} ILIKE ${placeholder} ESCAPE '\\'`,
  // SQLite compares text bytewise; "C" makes PostgreSQL sort the same way.
  sortText: (expr) => `${expr} COLLATE "C"`,
  userField: (field) => `(e.user_fields ->> '${field}')`,
};

export function createEventSearch(pool: pg.Pool): EventQueryStore {
  const all = (query: { sql: string; params: unknown[] }) => select(pool, query.sql, query.params);
  return {
    async search(query) {
      if (query.projectIds.length === 0) return { events: [], hasMore: false };
      const found = await all(eventListSql(POSTGRES_DIALECT, query));
      return {
        events: found.slice(0, query.limit).map(toSearchedEvent),
        hasMore: found.length > query.limit,
      };
    },
    async discover(query) {
      if (query.projectIds.length === 0) return { rows: [], hasMore: false };
      const found = await all(discoverSql(POSTGRES_DIALECT, query));
      return {
        rows: found.slice(0, query.limit).map((row) => query.select.map((_, i) => cell(row[`c${i}`]))),
        hasMore: found.length > query.limit,
      };
    },
    async tagKeys(input) {
      if (input.projectIds.length === 0) return [];
      const found = await all(tagKeysSql(POSTGRES_DIALECT, input));
      return found.map((row) => ({
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
    tags: (row.tags ?? {}) as Record<string, string>,
  };
}
