import type pg from 'pg';
import { toEscalation, toPolicy } from '../notification-rows.ts';
import type { NewDelivery, NotificationsStore } from '../types-notifications.ts';
import { insertTimelineEntry } from './incidents-rows.ts';
import { inTransaction, one, type Queryable, rows } from './pool.ts';

/**
 * Escalation policies and incident escalation state, and the two writes they share with the
 * delivery queue: enqueueing deliveries and appending a timeline entry in the same transaction.
 */

/** Disabled targets get no new deliveries, except a test send someone asked for. */
export async function enqueueRows(
  db: Queryable,
  orgId: number,
  deliveries: NewDelivery[],
  now: number,
): Promise<number[]> {
  const added: number[] = [];
  for (const d of deliveries) {
    const result = await db.query(
      `INSERT INTO notification_deliveries (org_id, target_id, kind, title, text, url, data, dedupe_key, status,
         next_attempt_at, created_at, updated_at)
       SELECT org_id, id, $1, $2, $3, $4, $5::jsonb, $6, 'pending', $7, $7, $7 FROM notification_targets
       WHERE id = $8 AND org_id = $9 AND (enabled OR $1 = 'test')
       ON CONFLICT (target_id, dedupe_key) DO NOTHING RETURNING id`,
      [d.kind, d.title, d.text, d.url, JSON.stringify(d.data), d.dedupeKey, now, d.targetId, orgId],
    );
    if (result.rows[0]) added.push(Number(result.rows[0].id));
  }
  return added;
}

export function createEscalationParts(
  pool: pg.Pool,
): Pick<NotificationsStore, 'escalationPolicies' | 'escalations'> {
  return {
    escalationPolicies: {
      get: async (orgId, severity) => {
        const row = await one(pool, 'SELECT * FROM escalation_policies WHERE org_id = $1 AND severity = $2', [
          orgId,
          severity,
        ]);
        return row ? toPolicy(row) : null;
      },
      list: async (orgId) =>
        (
          await rows(pool, 'SELECT * FROM escalation_policies WHERE org_id = $1 ORDER BY severity', [orgId])
        ).map(toPolicy),
      put: async (policy) => {
        await pool.query(
          `INSERT INTO escalation_policies (org_id, severity, levels, reminder_target_ids, update_target_ids,
             updated_at)
           VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6) ON CONFLICT (org_id, severity) DO UPDATE SET
             levels = excluded.levels, reminder_target_ids = excluded.reminder_target_ids,
             update_target_ids = excluded.update_target_ids, updated_at = excluded.updated_at`,
          [
            policy.orgId,
            policy.severity,
            JSON.stringify(policy.levels),
            JSON.stringify(policy.reminderTargetIds),
            JSON.stringify(policy.updateTargetIds),
            policy.updatedAt,
          ],
        );
      },
      delete: async (orgId, severity) =>
        ((
          await pool.query('DELETE FROM escalation_policies WHERE org_id = $1 AND severity = $2', [
            orgId,
            severity,
          ])
        ).rowCount ?? 0) > 0,
    },
    escalations: {
      get: async (incidentId) => {
        const row = await one(pool, 'SELECT * FROM incident_escalations WHERE incident_id = $1', [
          incidentId,
        ]);
        return row ? toEscalation(row) : null;
      },
      step: (step) =>
        inTransaction(pool, async (db) => {
          const { from, to } = step;
          // The conditional write is the claim: under READ COMMITTED a second node's UPDATE waits
          // for ours, re-reads the row, no longer matches `from`, and changes nothing.
          const claimed = from
            ? await db.query(
                `UPDATE incident_escalations SET level = $1, status = $2, level_started_at = $3, severity = $4,
                   updated_at = $5
                 WHERE incident_id = $6 AND level = $7 AND status = $8 AND severity IS NOT DISTINCT FROM $9`,
                [
                  to.level,
                  to.status,
                  to.levelStartedAt,
                  to.severity,
                  step.now,
                  step.incidentId,
                  from.level,
                  from.status,
                  from.severity,
                ],
              )
            : await db.query(
                `INSERT INTO incident_escalations (incident_id, org_id, level, status, level_started_at, severity,
                   updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (incident_id) DO NOTHING`,
                [step.incidentId, step.orgId, to.level, to.status, to.levelStartedAt, to.severity, step.now],
              );
          if ((claimed.rowCount ?? 0) === 0) return false;
          await enqueueRows(db, step.orgId, step.deliveries, step.now);
          await insertTimelineEntry(db, step.incidentId, step.entry, step.now);
          return true;
        }),
      notifyOnce: (input) =>
        inTransaction(pool, async (db) => {
          if (!(await insertTimelineEntry(db, input.incidentId, input.entry, input.now))) return false;
          await enqueueRows(db, input.orgId, input.deliveries, input.now);
          return true;
        }),
    },
  };
}
