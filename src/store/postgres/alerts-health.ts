import type pg from 'pg';
import { aggregateCounters, batchUsers, joinHealthTotals, type SessionCounterDelta } from '../alerts-rows.ts';
import { applySessionUpdates, toUnhealthySession } from '../alerts-sessions.ts';
import type { AlertsStore, ReleaseHealthQuery, ReleaseHealthTotals } from '../types-alerts.ts';
import { inTransaction, one, type Queryable, rows } from './pool.ts';

async function writeCounters(db: Queryable, counters: Map<string, SessionCounterDelta>): Promise<void> {
  // Sorted so two nodes adding to the same rows lock them in the same order (no deadlock).
  const sorted = [...counters.values()].sort((a, b) =>
    `${a.projectId}\0${a.release}\0${a.environment}\0${a.hour}` <
    `${b.projectId}\0${b.release}\0${b.environment}\0${b.hour}`
      ? -1
      : 1,
  );
  for (const c of sorted) {
    await db.query(
      `INSERT INTO release_health_sessions AS s (project_id, release, environment, hour, sessions, crashed,
         abnormal, unhandled, errored) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (project_id, release, environment, hour) DO UPDATE SET
         sessions = s.sessions + excluded.sessions, crashed = s.crashed + excluded.crashed,
         abnormal = s.abnormal + excluded.abnormal, unhandled = s.unhandled + excluded.unhandled,
         errored = s.errored + excluded.errored`,
      [
        c.projectId,
        c.release,
        c.environment,
        c.hour,
        c.sessions,
        c.crashed,
        c.abnormal,
        c.unhandled,
        c.errored,
      ],
    );
  }
}

async function totals(pool: pg.Pool, query: ReleaseHealthQuery): Promise<ReleaseHealthTotals[]> {
  if (query.projectIds.length === 0) return [];
  const env = query.byEnvironment ? 'environment' : 'NULL::text';
  const where = `project_id = ANY($1) AND ($2::text[] IS NULL OR release = ANY($2))`;
  const params = [query.projectIds, query.releases ?? null, query.since ?? null];
  const group = `project_id, release${query.byEnvironment ? ', environment' : ''}`;
  const sessions = await rows(
    pool,
    `SELECT project_id, release, ${env} AS environment, SUM(sessions) AS sessions, SUM(crashed) AS crashed,
       SUM(abnormal) AS abnormal, SUM(unhandled) AS unhandled, SUM(errored) AS errored,
       MIN(hour) AS first_seen, MAX(hour) AS last_seen
     FROM release_health_sessions WHERE ${where} AND ($3::bigint IS NULL OR hour >= $3) GROUP BY ${group}`,
    params,
  );
  const users = await rows(
    pool,
    `SELECT project_id, release, ${env} AS environment, COUNT(DISTINCT did) AS users,
       COUNT(DISTINCT CASE WHEN crashed = 1 THEN did END) AS crashed_users
     FROM release_health_users WHERE ${where} AND ($3::bigint IS NULL OR last_seen >= $3) GROUP BY ${group}`,
    params,
  );
  return joinHealthTotals(sessions, users);
}

export function createReleaseHealth(pool: pg.Pool): AlertsStore['releaseHealth'] {
  return {
    record: ({ updates, aggregates }) =>
      inTransaction(pool, async (client) => {
        const counters = new Map<string, SessionCounterDelta>();
        await applySessionUpdates(
          updates,
          {
            find: async (projectId, sid) => {
              const row = await one(
                client,
                `SELECT release, environment, hour, outcome FROM release_health_unhealthy
                 WHERE project_id = $1 AND sid = $2 FOR UPDATE`,
                [projectId, sid],
              );
              return row ? toUnhealthySession(row) : null;
            },
            insert: async (u) =>
              (
                await client.query(
                  `INSERT INTO release_health_unhealthy (project_id, sid, release, environment, hour, outcome, seen_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
                  [u.projectId, u.sid, u.release, u.environment, u.hour, u.outcome, u.seenAt],
                )
              ).rowCount === 1,
            upgrade: async (projectId, sid, outcome, seenAt) => {
              await client.query(
                'UPDATE release_health_unhealthy SET outcome = $1, seen_at = $2 WHERE project_id = $3 AND sid = $4',
                [outcome, seenAt, projectId, sid],
              );
            },
          },
          counters,
        );
        aggregateCounters(aggregates, counters);
        await writeCounters(client, counters);
        const users = batchUsers(updates, aggregates).sort((a, b) =>
          `${a.projectId}\0${a.release}\0${a.environment}\0${a.did}` <
          `${b.projectId}\0${b.release}\0${b.environment}\0${b.did}`
            ? -1
            : 1,
        );
        for (const u of users) {
          await client.query(
            `INSERT INTO release_health_users AS u (project_id, release, environment, did, crashed, first_seen, last_seen)
             VALUES ($1, $2, $3, $4, $5, $6, $6)
             ON CONFLICT (project_id, release, environment, did) DO UPDATE SET
               crashed = GREATEST(u.crashed, excluded.crashed), last_seen = GREATEST(u.last_seen, excluded.last_seen)`,
            [u.projectId, u.release, u.environment, u.did, u.crashed, u.seenAt],
          );
        }
      }),
    totals: (query) => totals(pool, query),
    prune: async (before) =>
      (await pool.query('DELETE FROM release_health_unhealthy WHERE seen_at < $1', [before])).rowCount ?? 0,
  };
}
