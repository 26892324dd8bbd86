import { byIncident, toIncident, toRole, toTimelineEntry } from '../incident-rows.ts';
import type { Incident, NewTimelineEntry, TimelineEntry } from '../types-incidents.ts';
import type { IncidentEntry } from '../types-postmortems.ts';
import type { SqliteConnection } from './connection.ts';

/** Incident reads and timeline writes that the post-mortem, escalation and runbook stores share. */

type Row = Record<string, unknown>;

/** Written in the caller's transaction; null when the entry's dedupe key is already on the incident. */
export function insertTimelineEntry(
  db: SqliteConnection,
  incidentId: number,
  entry: NewTimelineEntry,
  now: number,
): TimelineEntry | null {
  const row = db.get<Row>(
    `INSERT INTO incident_timeline (incident_id, kind, body, data, actor, occurred_at, created_at, dedupe_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (incident_id, dedupe_key) DO NOTHING RETURNING *`,
    incidentId,
    entry.kind,
    entry.body,
    JSON.stringify(entry.data ?? {}),
    entry.actor,
    entry.occurredAt,
    now,
    entry.dedupeKey ?? null,
  );
  return row ? toTimelineEntry(row) : null;
}

/** The entries actually added, in order (deduplicated ones are left out). */
export function insertTimelineEntries(
  db: SqliteConnection,
  entries: IncidentEntry[],
  now: number,
): TimelineEntry[] {
  const added: TimelineEntry[] = [];
  for (const entry of entries) {
    const row = insertTimelineEntry(db, entry.incidentId, entry, now);
    if (row) added.push(row);
  }
  return added;
}

/** Reads incidents with their links and roles (two queries for any number of incidents). */
export function assembleIncidents(db: SqliteConnection, rows: Row[]): Incident[] {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => Number(row.id));
  const marks = ids.map(() => '?').join(',');
  const links = byIncident(
    db.all<Row>(
      `SELECT incident_id, issue_id FROM incident_issues WHERE incident_id IN (${marks}) ORDER BY linked_at, issue_id`,
      ...ids,
    ),
    (row) => Number(row.issue_id),
  );
  const roles = byIncident(
    db.all<Row>(`SELECT * FROM incident_roles WHERE incident_id IN (${marks}) ORDER BY role`, ...ids),
    toRole,
  );
  return rows.map((row) => toIncident(row, links.get(Number(row.id)) ?? [], roles.get(Number(row.id)) ?? []));
}
