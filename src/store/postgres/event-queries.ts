import type pg from 'pg';
import type { Store } from '../types.ts';
import { one, rows } from './pool.ts';
import { toStoredEvent } from './rows.ts';

export function createEventQueries(
  pool: pg.Pool,
): Pick<Store, 'events' | 'releases' | 'environments' | 'outcomes'> {
  return {
    events: {
      async get(projectId, eventId) {
        const row = await one(pool, 'SELECT * FROM events WHERE project_id = $1 AND event_id = $2', [
          projectId,
          eventId,
        ]);
        return row ? toStoredEvent(row) : null;
      },
      async latestForIssue(issueId) {
        const row = await one(
          pool,
          'SELECT * FROM events WHERE issue_id = $1 ORDER BY timestamp DESC, event_id DESC LIMIT 1',
          [issueId],
        );
        return row ? toStoredEvent(row) : null;
      },
      async listForIssue(issueId, limit) {
        const found = await rows(
          pool,
          'SELECT * FROM events WHERE issue_id = $1 ORDER BY timestamp DESC, event_id DESC LIMIT $2',
          [issueId, limit],
        );
        return found.map(toStoredEvent);
      },
      async countForProject(projectId) {
        const row = await one<{ n: number }>(pool, 'SELECT count(*) AS n FROM events WHERE project_id = $1', [
          projectId,
        ]);
        return row!.n;
      },
    },
    releases: {
      async listByProject(projectId) {
        const found = await rows<{ version: string; first_seen: number; last_seen: number }>(
          pool,
          `SELECT r.version, r.first_seen, r.last_seen FROM releases r
           JOIN release_projects rp ON rp.release_id = r.id
           WHERE rp.project_id = $1 ORDER BY r.first_seen DESC, r.id DESC`,
          [projectId],
        );
        return found.map((row) => ({
          version: row.version,
          firstSeen: row.first_seen,
          lastSeen: row.last_seen,
        }));
      },
    },
    environments: {
      async listByProject(projectId) {
        const found = await rows<{ name: string }>(
          pool,
          `SELECT e.name FROM environments e JOIN environment_projects ep ON ep.environment_id = e.id
           WHERE ep.project_id = $1 ORDER BY e.name COLLATE "C"`,
          [projectId],
        );
        return found.map((row) => row.name);
      },
    },
    outcomes: {
      async totals(projectId, since) {
        const found = await rows<{ item_type: string; outcome: string; count: number }>(
          pool,
          `SELECT item_type, outcome, sum(count) AS count FROM ingest_outcomes
           WHERE project_id = $1 AND day >= $2
           GROUP BY item_type, outcome ORDER BY item_type COLLATE "C", outcome COLLATE "C"`,
          [projectId, since],
        );
        return found.map((row) => ({ itemType: row.item_type, outcome: row.outcome, count: row.count }));
      },
    },
  };
}
