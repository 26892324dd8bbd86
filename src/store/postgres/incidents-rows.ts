import { byIncident, toIncident, toRole, toTimelineEntry } from '../incident-rows.ts';
import type { Incident, NewTimelineEntry, TimelineEntry } from '../types-incidents.ts';
import type { IncidentEntry } from '../types-postmortems.ts';
import { one, type Queryable, type Row, rows } from './pool.ts';

/** Incident reads and timeline writes that the post-mortem, escalation and runbook stores share. */

/** Written in the caller's transaction; null when the entry's dedupe key is already on the incident. */
export async function insertTimelineEntry(
  db: Queryable,
  incidentId: number,
  entry: NewTimelineEntry,
  now: number,
): Promise<TimelineEntry | null> {
  const row = await one(
    db,
    `INSERT INTO incident_timeline (incident_id, kind, body, data, actor, occurred_at, created_at, dedupe_key)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
     ON CONFLICT (incident_id, dedupe_key) DO NOTHING RETURNING *`,
    [
      incidentId,
      entry.kind,
      entry.body,
      JSON.stringify(entry.data ?? {}),
      entry.actor,
      entry.occurredAt,
      now,
      entry.dedupeKey ?? null,
    ],
  );
  return row ? toTimelineEntry(row) : null;
}

/** The entries actually added, in order (deduplicated ones are left out). */
export async function insertTimelineEntries(
  db: Queryable,
  entries: IncidentEntry[],
  now: number,
): Promise<TimelineEntry[]> {
  const added: TimelineEntry[] = [];
  for (const entry of entries) {
    const row = await insertTimelineEntry(db, entry.incidentId, entry, now);
    if (row) added.push(row);
  }
  return added;
}

/** Reads incidents with their links and roles (two queries for any number of incidents). */
export async function assembleIncidents(db: Queryable, incidentRows: Row[]): Promise<Incident[]> {
  if (incidentRows.length === 0) return [];
  const ids = incidentRows.map((row) => Number(row.id));
  const links = byIncident(
    await rows(
      db,
      'SELECT incident_id, issue_id FROM incident_issues WHERE incident_id = ANY($1) ORDER BY linked_at, issue_id',
      [ids],
    ),
    (row) => Number(row.issue_id),
  );
  const roles = byIncident(
    await rows(db, 'SELECT * FROM incident_roles WHERE incident_id = ANY($1) ORDER BY role', [ids]),
    toRole,
  );
  return incidentRows.map((row) =>
    toIncident(row, links.get(Number(row.id)) ?? [], roles.get(Number(row.id)) ?? []),
  );
}
