import { json, numOrNull, type Row, strOrNull } from './row-values.ts';
import type {
  Delivery,
  DeliveryAttempt,
  DeliveryStatus,
  EscalationPolicy,
  EscalationState,
  EscalationStatus,
  NotificationKind,
  NotificationTarget,
  TargetKind,
} from './types-notifications.ts';

// Backend-neutral row mapping: SQLite gives JSON as text and 0/1, PostgreSQL jsonb and booleans.

export const toTarget = (row: Row): NotificationTarget => ({
  id: Number(row.id),
  orgId: Number(row.org_id),
  name: String(row.name),
  kind: String(row.kind) as TargetKind,
  config: json<Record<string, unknown>>(row.config),
  secrets: json<Record<string, string>>(row.secrets),
  enabled: Boolean(row.enabled),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

export const toDelivery = (row: Row): Delivery => ({
  id: Number(row.id),
  orgId: Number(row.org_id),
  targetId: Number(row.target_id),
  kind: String(row.kind) as NotificationKind,
  title: String(row.title),
  text: String(row.text),
  url: strOrNull(row.url),
  data: json<Record<string, unknown>>(row.data),
  dedupeKey: String(row.dedupe_key),
  status: String(row.status) as DeliveryStatus,
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  leaseUntil: numOrNull(row.lease_until),
  lastError: strOrNull(row.last_error),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
  sentAt: numOrNull(row.sent_at),
});

export const toAttempt = (row: Row): DeliveryAttempt => ({
  deliveryId: Number(row.delivery_id),
  attempt: Number(row.attempt),
  ok: Boolean(row.ok),
  statusCode: numOrNull(row.status_code),
  ...attemptDetailOf(String(row.detail)),
  startedAt: Number(row.started_at),
  finishedAt: Number(row.finished_at),
});

export const toPolicy = (row: Row): EscalationPolicy => ({
  orgId: Number(row.org_id),
  severity: String(row.severity),
  levels: json<EscalationPolicy['levels']>(row.levels),
  reminderTargetIds: json<number[]>(row.reminder_target_ids),
  updateTargetIds: json<number[]>(row.update_target_ids),
  updatedAt: Number(row.updated_at),
});

export const toEscalation = (row: Row): EscalationState => ({
  incidentId: Number(row.incident_id),
  orgId: Number(row.org_id),
  level: Number(row.level),
  status: String(row.status) as EscalationStatus,
  levelStartedAt: Number(row.level_started_at),
  severity: row.severity == null ? null : String(row.severity),
  updatedAt: Number(row.updated_at),
});

/** A failure's detail kept on the delivery row, bounded; never the reply's excerpt. */
export const lastErrorOf = (ok: boolean, detail: string): string | null =>
  ok ? null : detail.slice(0, 1000);

// An attempt's excerpt has no column of its own (no migration for it): it follows the detail
// after a newline, which neither holds (both are put on one line before they are stored).
const EXCERPT_SEPARATOR = '\n';

/** The `detail` column of an attempt: its detail, then its excerpt when it has one. */
export const attemptDetailColumn = (attempt: { detail: string; excerpt: string | null }): string => {
  const detail = attempt.detail.replaceAll(EXCERPT_SEPARATOR, ' ');
  return attempt.excerpt ? `${detail}${EXCERPT_SEPARATOR}${attempt.excerpt}` : detail;
};

function attemptDetailOf(column: string): { detail: string; excerpt: string | null } {
  const at = column.indexOf(EXCERPT_SEPARATOR);
  return at < 0
    ? { detail: column, excerpt: null }
    : { detail: column.slice(0, at), excerpt: column.slice(at + 1) };
}
