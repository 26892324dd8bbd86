import type { Store } from '../types.ts';
import type { SqliteConnection } from './connection.ts';
import { toStoredEvent } from './rows.ts';

type Row = Record<string, unknown>;

export function createEventQueries(
  db: SqliteConnection,
): Pick<Store, 'events' | 'releases' | 'environments' | 'outcomes'> {
  return {
    events: {
      async get(projectId, eventId) {
        const row = db.get<Row>(
          'SELECT * FROM events WHERE project_id = ? AND event_id = ?',
          projectId,
          eventId,
        );
        return row ? toStoredEvent(row) : null;
      },
      async latestForIssue(issueId) {
        const row = db.get<Row>(
          'SELECT * FROM events WHERE issue_id = ? ORDER BY timestamp DESC, event_id DESC LIMIT 1',
          issueId,
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
    releases: {
      async listByProject(projectId) {
        return db
          .all<Row>(
            `SELECT r.version, r.first_seen, r.last_seen FROM releases r
             JOIN release_projects rp ON rp.release_id = r.id
             WHERE rp.project_id = ? ORDER BY r.first_seen DESC, r.id DESC`,
            projectId,
          )
          .map((row) => ({
            version: String(row.version),
            firstSeen: Number(row.first_seen),
            lastSeen: Number(row.last_seen),
          }));
      },
    },
    environments: {
      async listByProject(projectId) {
        return db
          .all<Row>(
            `SELECT e.name FROM environments e JOIN environment_projects ep ON ep.environment_id = e.id
             WHERE ep.project_id = ? ORDER BY e.name`,
            projectId,
          )
          .map((row) => String(row.name));
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
