import type { EventRef, IngestTx, IssueUpdate, StoredEvent } from '../types.ts';
import type { SqliteConnection } from './connection.ts';

type Rows<K extends keyof IngestTx> = Parameters<IngestTx[K]>[0];

export function storedEvents(db: SqliteConnection, refs: EventRef[]): EventRef[] {
  return refs.filter(
    (ref) =>
      db.get('SELECT 1 FROM events WHERE project_id = ? AND event_id = ?', ref.projectId, ref.eventId) !==
      undefined,
  );
}

export function insertEvents(db: SqliteConnection, events: StoredEvent[]): Set<string> {
  const inserted = new Set<string>();
  for (const event of events) {
    const changes = db.run(
      `INSERT INTO events (project_id, event_id, issue_id, timestamp, received_at, level, release,
         environment, user_key, payload, payload_codec, size, title, culprit, event_type, error_type,
         error_value, tags, user_fields)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (project_id, event_id) DO NOTHING`,
      event.projectId,
      event.eventId,
      event.issueId,
      event.timestamp,
      event.receivedAt,
      event.level,
      event.release,
      event.environment,
      event.userKey,
      event.payload,
      event.payloadCodec,
      event.size,
      event.title ?? '',
      event.culprit ?? '',
      event.eventType ?? 'default',
      event.errorType ?? null,
      event.errorValue ?? null,
      event.tags ? JSON.stringify(event.tags) : '{}',
      event.userFields ? JSON.stringify(event.userFields) : null,
    );
    if (changes === 1) inserted.add(event.eventId);
  }
  return inserted;
}

/** Display fields follow the newest event: they change only when lastSeen does not go back. */
export function updateIssues(db: SqliteConnection, updates: IssueUpdate[]): void {
  for (const update of updates) {
    const reopen = update.reopenAs !== undefined;
    db.run(
      `UPDATE issues SET
         times_seen = times_seen + ?1,
         user_count = user_count + ?2,
         last_seen = max(last_seen, ?3),
         title = CASE WHEN ?3 >= last_seen THEN ?4 ELSE title END,
         culprit = CASE WHEN ?3 >= last_seen THEN ?5 ELSE culprit END,
         metadata = CASE WHEN ?3 >= last_seen THEN ?6 ELSE metadata END,
         level = CASE WHEN ?3 >= last_seen THEN ?7 ELSE level END,
         last_release = CASE WHEN ?3 >= last_seen THEN ?8 ELSE last_release END,
         status = CASE WHEN ?9 THEN 'unresolved' ELSE status END,
         substatus = CASE WHEN ?9 THEN ?10 ELSE substatus END,
         resolved_at = CASE WHEN ?9 THEN NULL ELSE resolved_at END
       WHERE id = ?11`,
      update.addTimesSeen,
      update.addUserCount,
      update.lastSeen,
      update.title,
      update.culprit,
      JSON.stringify(update.metadata),
      update.level,
      update.lastRelease,
      reopen ? 1 : 0,
      update.reopenAs ?? null,
      update.issueId,
    );
    // Apart, and only when an older event arrives: issues_project_first_seen indexes it, and
    // SQLite rewrites an index entry whenever an UPDATE assigns its column, even to the same
    // value (one more page in every commit's WAL).
    db.run(
      'UPDATE issues SET first_seen = ?1 WHERE id = ?2 AND first_seen > ?1',
      update.firstSeen,
      update.issueId,
    );
  }
}

export function ensureReleases(db: SqliteConnection, rows: Rows<'ensureReleases'>): void {
  for (const row of rows) {
    db.run(
      `INSERT INTO releases (org_id, version, first_seen, last_seen, date_created) VALUES (?1, ?2, ?3, ?3, ?4)
       ON CONFLICT (org_id, version) DO UPDATE SET last_seen = excluded.last_seen
       WHERE excluded.last_seen > last_seen`,
      row.orgId,
      row.version,
      row.seenAt,
      row.receivedAt,
    );
    // Apart, and only when it moves: releases_org_created indexes first_seen, and SQLite
    // rewrites an index entry whenever an UPDATE assigns its column, even to the same value.
    db.run(
      'UPDATE releases SET first_seen = ?3 WHERE org_id = ?1 AND version = ?2 AND first_seen > ?3',
      row.orgId,
      row.version,
      row.seenAt,
    );
    db.run(
      `INSERT INTO release_projects (release_id, project_id)
       SELECT id, ?3 FROM releases WHERE org_id = ?1 AND version = ?2 ON CONFLICT DO NOTHING`,
      row.orgId,
      row.version,
      row.projectId,
    );
  }
}

export function ensureEnvironments(db: SqliteConnection, rows: Rows<'ensureEnvironments'>): void {
  for (const row of rows) {
    db.run(
      `INSERT INTO environments (org_id, name, first_seen) VALUES (?, ?, ?)
       ON CONFLICT (org_id, name) DO UPDATE SET first_seen = excluded.first_seen
       WHERE excluded.first_seen < first_seen`,
      row.orgId,
      row.name,
      row.seenAt,
    );
    db.run(
      `INSERT INTO environment_projects (environment_id, project_id)
       SELECT id, ?3 FROM environments WHERE org_id = ?1 AND name = ?2 ON CONFLICT DO NOTHING`,
      row.orgId,
      row.name,
      row.projectId,
    );
  }
}

export function addActivities(db: SqliteConnection, rows: Rows<'addActivities'>): void {
  for (const row of rows) {
    db.run(
      'INSERT INTO issue_activities (issue_id, type, data, actor, created_at) VALUES (?, ?, ?, ?, ?)',
      row.issueId,
      row.type,
      JSON.stringify(row.data),
      row.actor,
      row.createdAt,
    );
  }
}
