import { aggregateCounters, batchUsers, joinHealthTotals, type SessionCounterDelta } from '../alerts-rows.ts';
import { applySessionUpdates, toUnhealthySession } from '../alerts-sessions.ts';
import type { AlertsStore, ReleaseHealthQuery, ReleaseHealthTotals } from '../types-alerts.ts';
import type { SqliteConnection, SqliteHandles } from './connection.ts';
import { writeTransaction } from './connection.ts';

type Row = Record<string, unknown>;

function writeCounters(db: SqliteConnection, counters: Map<string, SessionCounterDelta>): void {
  for (const c of counters.values()) {
    db.run(
      `INSERT INTO release_health_sessions (project_id, release, environment, hour, sessions, crashed, abnormal,
         unhandled, errored) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, release, environment, hour) DO UPDATE SET
         sessions = sessions + excluded.sessions, crashed = crashed + excluded.crashed,
         abnormal = abnormal + excluded.abnormal, unhandled = unhandled + excluded.unhandled,
         errored = errored + excluded.errored`,
      c.projectId,
      c.release,
      c.environment,
      c.hour,
      c.sessions,
      c.crashed,
      c.abnormal,
      c.unhandled,
      c.errored,
    );
  }
}

function totals(read: SqliteConnection, query: ReleaseHealthQuery): ReleaseHealthTotals[] {
  if (query.projectIds.length === 0) return [];
  const env = query.byEnvironment ? 'environment' : 'NULL';
  const where = `project_id IN (SELECT value FROM json_each(?))
    AND (? IS NULL OR release IN (SELECT value FROM json_each(?)))`;
  const releases = query.releases ? JSON.stringify(query.releases) : null;
  const params = [JSON.stringify(query.projectIds), releases, releases, query.since ?? null];
  const group = `project_id, release${query.byEnvironment ? ', environment' : ''}`;
  const sessions = read.all<Row>(
    `SELECT project_id, release, ${env} AS environment, SUM(sessions) AS sessions, SUM(crashed) AS crashed,
       SUM(abnormal) AS abnormal, SUM(unhandled) AS unhandled, SUM(errored) AS errored,
       MIN(hour) AS first_seen, MAX(hour) AS last_seen
     FROM release_health_sessions WHERE ${where} AND (?4 IS NULL OR hour >= ?4) GROUP BY ${group}`,
    ...params,
  );
  const users = read.all<Row>(
    `SELECT project_id, release, ${env} AS environment, COUNT(DISTINCT did) AS users,
       COUNT(DISTINCT CASE WHEN crashed = 1 THEN did END) AS crashed_users
     FROM release_health_users WHERE ${where} AND (?4 IS NULL OR last_seen >= ?4) GROUP BY ${group}`,
    ...params,
  );
  return joinHealthTotals(sessions, users);
}

export function createReleaseHealth(h: SqliteHandles): AlertsStore['releaseHealth'] {
  return {
    record: ({ updates, aggregates }) =>
      writeTransaction(h, async (db) => {
        const counters = new Map<string, SessionCounterDelta>();
        await applySessionUpdates(
          updates,
          {
            find: async (projectId, sid) => {
              const row = db.get<Row>(
                'SELECT release, environment, hour, outcome FROM release_health_unhealthy WHERE project_id = ? AND sid = ?',
                projectId,
                sid,
              );
              return row ? toUnhealthySession(row) : null;
            },
            insert: async (u) =>
              db.run(
                `INSERT INTO release_health_unhealthy (project_id, sid, release, environment, hour, outcome, seen_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
                u.projectId,
                u.sid,
                u.release,
                u.environment,
                u.hour,
                u.outcome,
                u.seenAt,
              ) === 1,
            upgrade: async (projectId, sid, outcome, seenAt) => {
              db.run(
                'UPDATE release_health_unhealthy SET outcome = ?, seen_at = ? WHERE project_id = ? AND sid = ?',
                outcome,
                seenAt,
                projectId,
                sid,
              );
            },
          },
          counters,
        );
        aggregateCounters(aggregates, counters);
        writeCounters(db, counters);
        for (const u of batchUsers(updates, aggregates)) {
          db.run(
            `INSERT INTO release_health_users (project_id, release, environment, did, crashed, first_seen, last_seen)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (project_id, release, environment, did) DO UPDATE SET
               crashed = max(crashed, excluded.crashed), last_seen = max(last_seen, excluded.last_seen)`,
            u.projectId,
            u.release,
            u.environment,
            u.did,
            u.crashed,
            u.seenAt,
            u.seenAt,
          );
        }
      }),
    totals: async (query) => totals(h.reader, query),
    prune: (before) =>
      writeTransaction(h, (db) => db.run('DELETE FROM release_health_unhealthy WHERE seen_at < ?', before)),
  };
}
