import type { IngestTx } from '../types.ts';
import type { SqliteConnection } from './connection.ts';

const HOUR_MS = 3_600_000;
const hourStart = (start: number): number => Math.floor(start / HOUR_MS) * HOUR_MS;

type Rows<K extends keyof IngestTx> = Parameters<IngestTx[K]>[0];

export function addIssueBuckets(db: SqliteConnection, rows: Rows<'addIssueBuckets'>): void {
  for (const row of rows) {
    for (const [table, start] of [
      ['issue_buckets_minute', row.start],
      ['issue_buckets_hour', hourStart(row.start)],
    ] as const) {
      db.run(
        `INSERT INTO ${table} (issue_id, start, project_id, count) VALUES (?, ?, ?, ?)
         ON CONFLICT (issue_id, start) DO UPDATE SET count = count + excluded.count`,
        row.issueId,
        start,
        row.projectId,
        row.count,
      );
    }
  }
}

export function addTagValues(db: SqliteConnection, rows: Rows<'addTagValues'>): void {
  for (const row of rows) {
    db.run(
      `INSERT INTO issue_tag_values (issue_id, key, value, count, first_seen, last_seen)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (issue_id, key, value) DO UPDATE SET
         count = count + excluded.count,
         first_seen = min(first_seen, excluded.first_seen),
         last_seen = max(last_seen, excluded.last_seen)`,
      row.issueId,
      row.key,
      row.value,
      row.count,
      row.firstSeen,
      row.lastSeen,
    );
  }
}

export function addIssueUsers(db: SqliteConnection, rows: Rows<'addIssueUsers'>): Map<number, number> {
  const added = new Map<number, number>();
  for (const row of rows) {
    const changes = db.run(
      `INSERT INTO issue_users (issue_id, user_key, first_seen) VALUES (?, ?, ?)
       ON CONFLICT (issue_id, user_key) DO NOTHING`,
      row.issueId,
      row.userKey,
      row.seenAt,
    );
    added.set(row.issueId, (added.get(row.issueId) ?? 0) + changes);
  }
  return added;
}

export function addUserIdentities(db: SqliteConnection, rows: Rows<'addUserIdentities'>): void {
  for (const row of rows) {
    db.run(
      `INSERT INTO user_identities (project_id, field, value, user_key) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      row.projectId,
      row.field,
      row.value,
      row.userKey,
    );
  }
}

export function addOutcomes(db: SqliteConnection, rows: Rows<'addOutcomes'>): void {
  for (const row of rows) {
    db.run(
      `INSERT INTO ingest_outcomes (project_id, item_type, outcome, day, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (project_id, item_type, outcome, day) DO UPDATE SET count = count + excluded.count`,
      row.projectId,
      row.itemType,
      row.outcome,
      row.day,
      row.count,
    );
  }
}
