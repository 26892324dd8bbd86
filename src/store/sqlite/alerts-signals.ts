import { matching } from '../alerts-rows.ts';
import type { AlertsStore, CountRow, CountSeriesQuery } from '../types-alerts.ts';
import type { SqliteConnection } from './connection.ts';

type Row = Record<string, unknown>;

/** Id lists travel as one JSON parameter (json_each), so no list can exceed SQLite's parameter limit. */
const ids = (list: number[]) => JSON.stringify(list);

function counts(
  db: SqliteConnection,
  table: 'issue_buckets_minute' | 'issue_buckets_hour',
  query: CountSeriesQuery & { perIssue: boolean },
): CountRow[] {
  const issueFilter = query.issueIds ? 'AND issue_id IN (SELECT value FROM json_each(?))' : '';
  const params = [query.projectId, query.start, query.end, ...(query.issueIds ? [ids(query.issueIds)] : [])];
  const where = `WHERE project_id = ? AND start >= ? AND start < ? ${issueFilter}`;
  const rows = query.perIssue
    ? db.all<Row>(`SELECT issue_id, start, count FROM ${table} ${where} ORDER BY issue_id, start`, ...params)
    : db.all<Row>(
        `SELECT NULL AS issue_id, start, SUM(count) AS count FROM ${table} ${where} GROUP BY start ORDER BY start`,
        ...params,
      );
  return rows.map((row) => ({
    issueId: row.issue_id === null ? null : Number(row.issue_id),
    start: Number(row.start),
    count: Number(row.count),
  }));
}

/**
 * Each kind of new-issue lookup, by a column indexed with project_id. An issue written by a server
 * still on the code before migration 17 (a rolling upgrade) has no created_at: its first seen
 * stands in, so another server's new-issue rules still see it.
 */
const NEW_ISSUE_TIME = {
  firstSeen: { since: 'first_seen >= ?1', order: 'first_seen' },
  createdAt: {
    since: '(created_at >= ?1 OR (created_at IS NULL AND first_seen >= ?1))',
    order: 'coalesce(created_at, first_seen)',
  },
} as const;

/** The reads detectors make over ingest data (issues, activities, buckets, events, tag values). */
export function createAlertSignals(read: SqliteConnection): AlertsStore['detectSignals'] {
  return {
    newIssues: async ({ projectIds, since, by = 'firstSeen' }) =>
      read
        .all<Row>(
          `SELECT id, project_id, first_seen, created_at, level FROM issues
           WHERE project_id IN (SELECT value FROM json_each(?2)) AND ${NEW_ISSUE_TIME[by].since}
           ORDER BY ${NEW_ISSUE_TIME[by].order}, id`,
          since,
          ids(projectIds),
        )
        .map((row) => ({
          issueId: Number(row.id),
          projectId: Number(row.project_id),
          firstSeen: Number(row.first_seen),
          createdAt: Number(row.created_at ?? row.first_seen),
          level: String(row.level),
        })),
    regressions: async ({ projectIds, since }) =>
      read
        .all<Row>(
          `SELECT a.id, a.issue_id, a.created_at, a.data FROM issue_activities a JOIN issues i ON i.id = a.issue_id
           WHERE a.type = 'set_regression' AND a.created_at >= ?
             AND i.project_id IN (SELECT value FROM json_each(?))
           ORDER BY a.created_at, a.id`,
          since,
          ids(projectIds),
        )
        .map((row) => {
          const version = (JSON.parse(String(row.data)) as { version?: unknown }).version;
          return {
            activityId: Number(row.id),
            issueId: Number(row.issue_id),
            createdAt: Number(row.created_at),
            release: typeof version === 'string' && version !== '' ? version : null,
          };
        }),
    minuteCounts: async (query) => counts(read, 'issue_buckets_minute', query),
    hourCounts: async (query) => counts(read, 'issue_buckets_hour', query),
    windowUsers: async ({ projectId, start, end }) => {
      const rows = read.all<Row>(
        `SELECT issue_id, COUNT(DISTINCT user_key) AS n FROM events
         WHERE project_id = ? AND timestamp >= ? AND timestamp < ? AND user_key IS NOT NULL GROUP BY issue_id`,
        projectId,
        start,
        end,
      );
      return new Map(rows.map((row) => [Number(row.issue_id), Number(row.n)]));
    },
    matchingIssues: async (issueIds, filter) => {
      const keys = [...(filter.environments ? ['environment'] : []), ...Object.keys(filter.tags ?? {})];
      if (issueIds.length === 0 || keys.length === 0) return new Set(issueIds);
      const rows = read.all<Row>(
        `SELECT issue_id, key, value FROM issue_tag_values
         WHERE issue_id IN (SELECT value FROM json_each(?)) AND key IN (SELECT value FROM json_each(?))`,
        ids(issueIds),
        JSON.stringify(keys),
      );
      return matching(issueIds, filter, rows);
    },
  };
}
