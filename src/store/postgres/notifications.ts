import type pg from 'pg';
import {
  lastErrorOf,
  toAttempt,
  toDelivery,
  toEscalation,
  toPolicy,
  toTarget,
} from '../notification-rows.ts';
import type { NewTimelineEntry } from '../types-incidents.ts';
import type { NewDelivery, NotificationsStore } from '../types-notifications.ts';
import { conflictAs } from './accounts-rows.ts';
import { inTransaction, one, type Queryable, rows } from './pool.ts';

/** Disabled targets get no new deliveries, except a test send someone asked for. */
async function enqueueRows(
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

async function insertEntry(db: Queryable, incidentId: number, entry: NewTimelineEntry, now: number) {
  const row = await one(
    db,
    `INSERT INTO incident_timeline (incident_id, kind, body, data, actor, occurred_at, created_at, dedupe_key)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8) ON CONFLICT (incident_id, dedupe_key) DO NOTHING RETURNING id`,
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
  return row !== undefined;
}

export function createNotifications(pool: pg.Pool): NotificationsStore {
  return {
    notificationTargets: {
      create: (input) =>
        conflictAs('a notification target of that name', async () =>
          toTarget(
            (await one(
              pool,
              `INSERT INTO notification_targets (org_id, name, kind, config, secrets, enabled, created_at, updated_at)
             VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $7) RETURNING *`,
              [
                input.orgId,
                input.name,
                input.kind,
                JSON.stringify(input.config),
                JSON.stringify(input.secrets),
                input.enabled,
                input.now,
              ],
            ))!,
          ),
        ),
      get: async (orgId, id) => {
        const row = await one(pool, 'SELECT * FROM notification_targets WHERE org_id = $1 AND id = $2', [
          orgId,
          id,
        ]);
        return row ? toTarget(row) : null;
      },
      getById: async (id) => {
        const row = await one(pool, 'SELECT * FROM notification_targets WHERE id = $1', [id]);
        return row ? toTarget(row) : null;
      },
      list: async (orgId) =>
        (await rows(pool, 'SELECT * FROM notification_targets WHERE org_id = $1 ORDER BY id', [orgId])).map(
          toTarget,
        ),
      update: (orgId, id, change) =>
        conflictAs('a notification target of that name', async () => {
          const row = await one(
            pool,
            `UPDATE notification_targets SET name = COALESCE($1, name), config = COALESCE($2::jsonb, config),
             secrets = COALESCE($3::jsonb, secrets), enabled = COALESCE($4, enabled), updated_at = $5
           WHERE org_id = $6 AND id = $7 RETURNING *`,
            [
              change.name ?? null,
              change.config ? JSON.stringify(change.config) : null,
              change.secrets ? JSON.stringify(change.secrets) : null,
              change.enabled ?? null,
              change.now,
              orgId,
              id,
            ],
          );
          return row ? toTarget(row) : null;
        }),
      delete: async (orgId, id) =>
        ((await pool.query('DELETE FROM notification_targets WHERE org_id = $1 AND id = $2', [orgId, id]))
          .rowCount ?? 0) > 0,
    },
    notificationDeliveries: {
      enqueue: (orgId, deliveries, now) =>
        deliveries.length === 1
          ? enqueueRows(pool, orgId, deliveries, now)
          : inTransaction(pool, (db) => enqueueRows(db, orgId, deliveries, now)),
      // SKIP LOCKED: a row another node is claiming right now is left to it, not waited for.
      claimDue: async ({ now, limit, leaseUntil }) =>
        (
          await rows(
            pool,
            `UPDATE notification_deliveries d SET status = 'sending', attempts = d.attempts + 1,
               lease_until = $3, updated_at = $1
             FROM (SELECT id FROM notification_deliveries
                   WHERE (status = 'pending' AND next_attempt_at <= $1) OR (status = 'sending' AND lease_until <= $1)
                   ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED) due
             WHERE d.id = due.id RETURNING d.*`,
            [now, limit, leaseUntil],
          )
        )
          .map(toDelivery)
          .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id),
      claim: async (id, now, leaseUntil) => {
        const row = await one(
          pool,
          `UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1, lease_until = $1,
             updated_at = $2 WHERE id = $3 AND status = 'pending' RETURNING *`,
          [leaseUntil, now, id],
        );
        return row ? toDelivery(row) : null;
      },
      finish: (id, claimedAttempt, outcome, now) =>
        inTransaction(pool, async (db) => {
          const { attempt, status, nextAttemptAt } = outcome;
          const changed = await db.query(
            `UPDATE notification_deliveries SET status = $1, next_attempt_at = $2, lease_until = NULL,
               last_error = $3, sent_at = $4, updated_at = $5
             WHERE id = $6 AND status = 'sending' AND attempts = $7`,
            [
              status,
              nextAttemptAt,
              lastErrorOf(attempt.ok, attempt.detail),
              status === 'sent' ? now : null,
              now,
              id,
              claimedAttempt,
            ],
          );
          if ((changed.rowCount ?? 0) === 0) return false;
          await db.query(
            `INSERT INTO notification_attempts (delivery_id, attempt, ok, status_code, detail, started_at, finished_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)`,
            [
              id,
              claimedAttempt,
              attempt.ok,
              attempt.statusCode,
              attempt.detail,
              attempt.startedAt,
              attempt.finishedAt,
            ],
          );
          return true;
        }),
      get: async (orgId, id) => {
        const row = await one(pool, 'SELECT * FROM notification_deliveries WHERE org_id = $1 AND id = $2', [
          orgId,
          id,
        ]);
        return row ? toDelivery(row) : null;
      },
      list: async ({ orgId, status, targetId, limit, offset }) =>
        (
          await rows(
            pool,
            `SELECT * FROM notification_deliveries WHERE org_id = $1 AND ($2::text IS NULL OR status = $2)
               AND ($3::bigint IS NULL OR target_id = $3) ORDER BY id DESC LIMIT $4 OFFSET $5`,
            [orgId, status ?? null, targetId ?? null, limit, offset],
          )
        ).map(toDelivery),
      attempts: async (ids) =>
        ids.length === 0
          ? []
          : (
              await rows(
                pool,
                'SELECT * FROM notification_attempts WHERE delivery_id = ANY($1) ORDER BY delivery_id, attempt',
                [ids],
              )
            ).map(toAttempt),
    },
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
          `INSERT INTO escalation_policies (org_id, severity, levels, reminder_target_ids, updated_at)
           VALUES ($1, $2, $3::jsonb, $4::jsonb, $5) ON CONFLICT (org_id, severity) DO UPDATE SET
             levels = excluded.levels, reminder_target_ids = excluded.reminder_target_ids,
             updated_at = excluded.updated_at`,
          [
            policy.orgId,
            policy.severity,
            JSON.stringify(policy.levels),
            JSON.stringify(policy.reminderTargetIds),
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
                `UPDATE incident_escalations SET level = $1, status = $2, level_started_at = $3, updated_at = $4
                 WHERE incident_id = $5 AND level = $6 AND status = $7`,
                [to.level, to.status, to.levelStartedAt, step.now, step.incidentId, from.level, from.status],
              )
            : await db.query(
                `INSERT INTO incident_escalations (incident_id, org_id, level, status, level_started_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (incident_id) DO NOTHING`,
                [step.incidentId, step.orgId, to.level, to.status, to.levelStartedAt, step.now],
              );
          if ((claimed.rowCount ?? 0) === 0) return false;
          await enqueueRows(db, step.orgId, step.deliveries, step.now);
          await insertEntry(db, step.incidentId, step.entry, step.now);
          return true;
        }),
      notifyOnce: (input) =>
        inTransaction(pool, async (db) => {
          if (!(await insertEntry(db, input.incidentId, input.entry, input.now))) return false;
          await enqueueRows(db, input.orgId, input.deliveries, input.now);
          return true;
        }),
    },
  };
}
