import type pg from 'pg';
import type { Store } from '../types.ts';
import { createEventSearch } from './event-search.ts';
import { one, rows } from './pool.ts';
import { toStoredEvent } from './rows.ts';

export function createEventQueries(pool: pg.Pool): Pick<Store, 'events' | 'outcomes'> {
  return {
    events: {
      ...createEventSearch(pool),
      async get(projectId, eventId) {
        const row = await one(pool, 'SELECT * FROM events WHERE project_id = $1 AND event_id = $2', [
          projectId,
          eventId,
        ]);
        return row ? toStoredEvent(row) : null;
      },
      async latestForIssue(issueId, environment = null) {
        const row = await one(
          pool,
          `SELECT * FROM events WHERE issue_id = $1 AND ($2::text IS NULL OR environment = $2)
           ORDER BY timestamp DESC, event_id DESC LIMIT 1`,
          [issueId, environment],
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
