import type { IngestIssue } from './types.ts';

/**
 * Column values as both drivers return them, for the backend-neutral row mappers: SQLite gives
 * JSON as text and booleans as 0/1, PostgreSQL gives parsed jsonb and booleans; both give NULL
 * as null (node:sqlite) or null (pg). bigint columns arrive as numbers or numeric strings.
 */
export type Row = Record<string, unknown>;

export const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

export const numOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

export const strOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : String(value);

/** The columns `IngestIssue` reads, of the issues table aliased `i`. */
export const INGEST_ISSUE_COLUMNS = 'i.id, i.status, i.last_release, i.times_seen, i.user_count';

export function toIngestIssue(row: Row): IngestIssue {
  return {
    id: Number(row.id),
    status: row.status as IngestIssue['status'],
    lastRelease: strOrNull(row.last_release),
    timesSeen: Number(row.times_seen),
    userCount: Number(row.user_count),
  };
}

export const bool = (value: unknown): boolean => value === true || Number(value) === 1;
