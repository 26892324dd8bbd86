import type pg from 'pg';
import { matching } from '../alerts-rows.ts';
import type { AlertsStore, CountRow, CountSeriesQuery } from '../types-alerts.ts';
import { rows } from './pool.ts';

async function counts(
  pool: pg.Pool,
  table: 'issue_buckets_minute' | 'issue_buckets_hour',
  query: CountSeriesQuery & { perIssue: boolean },
): Promise<CountRow[]> {
  const where = `WHERE project_id = $1 AND start >= $2 AND start < $3
    AND ($4::bigint[] IS NULL OR issue_id = ANY($4))`;
  const params = [query.projectId, query.start, query.end, query.issueIds ?? null];
  const found = query.perIssue
    ? await rows(
        pool,
        `SELECT issue_id, start, count FROM ${table} ${where} ORDER BY issue_id, start`,
        params,
      )
    : await rows(
        pool,
        `SELECT NULL::bigint AS issue_id, start, SUM(count) AS count FROM ${table} ${where} GROUP BY start ORDER BY start`,
        params,
      );
  return found.map((row) => ({
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
  firstSeen: { since: 'first_seen >= $2', order: 'first_seen' },
  createdAt: {
    since: '(created_at >= $2 OR (created_at IS NULL AND first_seen >= $2))',
    order: 'coalesce(created_at, first_seen)',
  },
} as const;

/** The reads detectors make over ingest data (issues, activities, buckets, events, tag values). */
export function createAlertSignals(pool: pg.Pool): AlertsStore['detectSignals'] {
  return {
    newIssues: async ({ projectIds, since, by = 'firstSeen' }) =>
      (
        await rows(
          pool,
          `SELECT id, project_id, first_seen, created_at, level FROM issues
           WHERE project_id = ANY($1) AND ${NEW_ISSUE_TIME[by].since}
           ORDER BY ${NEW_ISSUE_TIME[by].order}, id`,
          [projectIds, since],
        )
      ).map((row) => ({
        issueId: Number(row.id),
        projectId: Number(row.project_id),
        firstSeen: Number(row.first_seen),
        createdAt: Number(row.created_at ?? row.first_seen),
        level: String(row.level),
      })),
    regressions: async ({ projectIds, since }) =>
      (
        await rows(
          pool,
          `SELECT a.id, a.issue_id, a.created_at, a.data->>'version' AS version
           FROM issue_activities a JOIN issues i ON i.id = a.issue_id
           WHERE a.type = 'set_regression' AND a.created_at >= $1 AND i.project_id = ANY($2)
           ORDER BY a.created_at, a.id`,
          [since, projectIds],
        )
      ).map((row) => ({
        activityId: Number(row.id),
        issueId: Number(row.issue_id),
        createdAt: Number(row.created_at),
        release: typeof row.version === 'string' && row.version !== '' ? row.version : null,
      })),
    minuteCounts: (query) => counts(pool, 'issue_buckets_minute', query),
    hourCounts: (query) => counts(pool, 'issue_buckets_hour', query),
    windowUsers: async ({ projectId, start, end }) => {
      const found = await rows(
        pool,
        `SELECT issue_id, COUNT(DISTINCT user_key) AS n FROM events
         WHERE project_id = $1 AND timestamp >= $2 AND timestamp < $3 AND user_key IS NOT NULL GROUP BY issue_id`,
        [projectId, start, end],
      );
      return new Map(found.map((row) => [Number(row.issue_id), Number(row.n)]));
    },
    matchingIssues: async (issueIds, filter) => {
      const keys = [...(filter.environments ? ['environment'] : []), ...Object.keys(filter.tags ?? {})];
      if (issueIds.length === 0 || keys.length === 0) return new Set(issueIds);
      const found = await rows(
        pool,
        'SELECT issue_id, key, value FROM issue_tag_values WHERE issue_id = ANY($1) AND key = ANY($2)',
        [issueIds, keys],
      );
      return matching(issueIds, filter, found);
    },
  };
}
