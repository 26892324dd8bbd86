import { json, numOrNull, type Row, strOrNull } from './row-values.ts';
import type {
  Incident,
  IncidentFields,
  IncidentRole,
  IncidentStatus,
  MitigationHook,
  NewTimelineEntry,
  TimelineEdit,
  TimelineEntry,
} from './types-incidents.ts';
import type { IncidentEntry } from './types-postmortems.ts';

// Backend-neutral incident row mapping: SQLite gives JSON as text and 0/1, PostgreSQL jsonb and booleans.

/** Store field → column, for the SET list of a conditional update. */
export const INCIDENT_COLUMNS: Record<keyof IncidentFields, string> = {
  title: 'title',
  severity: 'severity',
  status: 'status',
  services: 'services',
  ticketUrl: 'ticket_url',
  channelUrl: 'channel_url',
  rootCause: 'root_cause',
  detectionSource: 'detection_source',
  firstEventAt: 'first_event_at',
  detectedAt: 'detected_at',
  acknowledgedAt: 'acknowledged_at',
  mitigatedAt: 'mitigated_at',
  resolvedAt: 'resolved_at',
  resolutionOverride: 'resolution_override',
  lastUpdateAt: 'last_update_at',
  nextUpdateDueAt: 'next_update_due_at',
};

/** Values as bound parameters: arrays become JSON text (SQLite TEXT, PostgreSQL jsonb input). */
export function fieldParams(
  fields: Partial<IncidentFields>,
): { column: string; value: string | number | null }[] {
  return Object.entries(fields).map(([key, value]) => ({
    column: INCIDENT_COLUMNS[key as keyof IncidentFields],
    value: Array.isArray(value) ? JSON.stringify(value) : (value as string | number | null),
  }));
}

export function toIncident(row: Row, issueIds: number[], roles: IncidentRole[]): Incident {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    number: Number(row.number),
    version: Number(row.version),
    title: String(row.title),
    severity: String(row.severity),
    status: String(row.status) as IncidentStatus,
    services: json<string[]>(row.services),
    ticketUrl: strOrNull(row.ticket_url),
    channelUrl: strOrNull(row.channel_url),
    rootCause: strOrNull(row.root_cause),
    detectionSource: strOrNull(row.detection_source),
    firstEventAt: numOrNull(row.first_event_at),
    detectedAt: numOrNull(row.detected_at),
    declaredAt: Number(row.declared_at),
    acknowledgedAt: numOrNull(row.acknowledged_at),
    mitigatedAt: numOrNull(row.mitigated_at),
    resolvedAt: numOrNull(row.resolved_at),
    resolutionOverride: strOrNull(row.resolution_override),
    lastUpdateAt: numOrNull(row.last_update_at),
    nextUpdateDueAt: numOrNull(row.next_update_due_at),
    createdBy: String(row.created_by),
    updatedAt: Number(row.updated_at),
    issueIds,
    roles,
  };
}

export const toRole = (row: Row): IncidentRole => ({
  role: String(row.role),
  userId: Number(row.user_id),
  assignedAt: Number(row.assigned_at),
});

export function toTimelineEntry(row: Row): TimelineEntry {
  return {
    id: Number(row.id),
    incidentId: Number(row.incident_id),
    kind: String(row.kind),
    body: String(row.body),
    data: json<Record<string, unknown>>(row.data),
    actor: String(row.actor),
    occurredAt: Number(row.occurred_at),
    createdAt: Number(row.created_at),
    starred: Boolean(row.starred),
    editedAt: numOrNull(row.edited_at),
  };
}

export const toTimelineEdit = (row: Row): TimelineEdit => ({
  entryId: Number(row.entry_id),
  previousBody: String(row.previous_body),
  actor: String(row.actor),
  editedAt: Number(row.edited_at),
});

export const toMitigationHook = (row: Row): MitigationHook => ({
  projectId: Number(row.project_id),
  url: strOrNull(row.url),
  secret: strOrNull(row.secret),
  command: row.command === null ? null : json<string[]>(row.command),
  updatedAt: Number(row.updated_at),
});

/** Groups child rows (links, roles) by incident id. */
export function byIncident<T>(rows: Row[], map: (row: Row) => T): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const row of rows) {
    const id = Number(row.incident_id);
    const list = grouped.get(id) ?? [];
    list.push(map(row));
    grouped.set(id, list);
  }
  return grouped;
}

/** Entries for one incident, in the shape the backends' timeline writers take. */
export const onIncident = (incidentId: number, entries: NewTimelineEntry[]): IncidentEntry[] =>
  entries.map((entry) => ({ ...entry, incidentId }));
