import { toEscalation, toPolicy } from '../notification-rows.ts';
import type { NewDelivery, NotificationsStore } from '../types-notifications.ts';
import type { SqliteConnection, SqliteHandles } from './connection.ts';
import { writeTransaction } from './connection.ts';
import { insertTimelineEntry } from './incidents-rows.ts';

/**
 * Escalation policies and incident escalation state, and the two writes they share with the
 * delivery queue: enqueueing deliveries and appending a timeline entry in the same transaction.
 */

type Row = Record<string, unknown>;

/** Disabled targets get no new deliveries, except a test send someone asked for. */
export function enqueueRows(
  db: SqliteConnection,
  orgId: number,
  deliveries: NewDelivery[],
  now: number,
): number[] {
  const added: number[] = [];
  for (const d of deliveries) {
    const row = db.get<Row>(
      `INSERT INTO notification_deliveries (org_id, target_id, kind, title, text, url, data, dedupe_key, status,
         next_attempt_at, created_at, updated_at)
       SELECT org_id, id, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ? FROM notification_targets
       WHERE id = ? AND org_id = ? AND (enabled = 1 OR ? = 'test')
       ON CONFLICT (target_id, dedupe_key) DO NOTHING RETURNING id`,
      d.kind,
      d.title,
      d.text,
      d.url,
      JSON.stringify(d.data),
      d.dedupeKey,
      now,
      now,
      now,
      d.targetId,
      orgId,
      d.kind,
    );
    if (row) added.push(Number(row.id));
  }
  return added;
}

export function createEscalationParts(
  h: SqliteHandles,
): Pick<NotificationsStore, 'escalationPolicies' | 'escalations'> {
  const read = h.reader;
  return {
    escalationPolicies: {
      get: async (orgId, severity) => {
        const row = read.get<Row>(
          'SELECT * FROM escalation_policies WHERE org_id = ? AND severity = ?',
          orgId,
          severity,
        );
        return row ? toPolicy(row) : null;
      },
      list: async (orgId) =>
        read
          .all<Row>('SELECT * FROM escalation_policies WHERE org_id = ? ORDER BY severity', orgId)
          .map(toPolicy),
      put: (policy) =>
        writeTransaction(h, (db) => {
          db.run(
            `INSERT INTO escalation_policies (org_id, severity, levels, reminder_target_ids, update_target_ids,
               updated_at)
             VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, severity) DO UPDATE SET levels = excluded.levels,
               reminder_target_ids = excluded.reminder_target_ids,
               update_target_ids = excluded.update_target_ids, updated_at = excluded.updated_at`,
            policy.orgId,
            policy.severity,
            JSON.stringify(policy.levels),
            JSON.stringify(policy.reminderTargetIds),
            JSON.stringify(policy.updateTargetIds),
            policy.updatedAt,
          );
        }),
      delete: (orgId, severity) =>
        writeTransaction(
          h,
          (db) =>
            db.run('DELETE FROM escalation_policies WHERE org_id = ? AND severity = ?', orgId, severity) > 0,
        ),
    },
    escalations: {
      get: async (incidentId) => {
        const row = read.get<Row>('SELECT * FROM incident_escalations WHERE incident_id = ?', incidentId);
        return row ? toEscalation(row) : null;
      },
      step: (step) =>
        writeTransaction(h, (db) => {
          const { from, to } = step;
          const claimed = from
            ? db.run(
                `UPDATE incident_escalations SET level = ?, status = ?, level_started_at = ?, severity = ?,
                   updated_at = ?
                 WHERE incident_id = ? AND level = ? AND status = ? AND severity IS ?`,
                to.level,
                to.status,
                to.levelStartedAt,
                to.severity,
                step.now,
                step.incidentId,
                from.level,
                from.status,
                from.severity,
              )
            : db.run(
                `INSERT INTO incident_escalations (incident_id, org_id, level, status, level_started_at, severity,
                   updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (incident_id) DO NOTHING`,
                step.incidentId,
                step.orgId,
                to.level,
                to.status,
                to.levelStartedAt,
                to.severity,
                step.now,
              );
          if (claimed === 0) return false;
          enqueueRows(db, step.orgId, step.deliveries, step.now);
          insertTimelineEntry(db, step.incidentId, step.entry, step.now);
          return true;
        }),
      notifyOnce: (input) =>
        writeTransaction(h, (db) => {
          if (!insertTimelineEntry(db, input.incidentId, input.entry, input.now)) return false;
          enqueueRows(db, input.orgId, input.deliveries, input.now);
          return true;
        }),
    },
  };
}
