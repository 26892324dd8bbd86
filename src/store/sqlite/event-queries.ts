import type { Store } from '../types.ts';
import type { SqliteConnection } from './connection.ts';
import { createEventSearch } from './event-search.ts';
import { toStoredEvent } from './rows.ts';

type Row = Record<string, unknown>;

export function createEventQueries(db: SqliteConnection): Pick<Store, 'events' | 'outcomes'> {
  return {
    events: {
      ...createEventSearch(db),
      async get(projectId, eventId) {
        const row = db.get<Row>(
          'SELECT * FROM events WHERE project_id = ? AND event_id = ?',
          projectId,
          eventId,
        );
        return row ? toStoredEvent(row) : null;
      },
      async latestForIssue(issueId, environment = null) {
        const row = db.get<Row>(
          `SELECT * FROM events WHERE issue_id = ?1 AND (?2 IS NULL OR environment = ?2)
           ORDER BY timestamp DESC, event_id DESC LIMIT 1`,
          issueId,
          environment,
        );
        return row ? toStoredEvent(row) : null;
      },
      async listForIssue(issueId, limit) {
        return db
          .all<Row>(
            'SELECT * FROM events WHERE issue_id = ? ORDER BY timestamp DESC, event_id DESC LIMIT ?',
            issueId,
            limit,
          )
          .map(toStoredEvent);
      },
      async countForProject(projectId) {
        return Number(db.get<Row>('SELECT count(*) AS n FROM events WHERE project_id = ?', projectId)!.n);
      },
    },
    outcomes: {
      async totals(projectId, since) {
        return db
          .all<Row>(
            `SELECT item_type, outcome, sum(count) AS count FROM ingest_outcomes
             WHERE project_id = ? AND day >= ? GROUP BY item_type, outcome ORDER BY item_type, outcome`,
            projectId,
            since,
          )
          .map((row) => ({
            itemType: String(row.item_type),
            outcome: String(row.outcome),
            count: Number(row.count),
          }));
      },
    },
  };
}
