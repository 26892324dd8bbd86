import type pg from 'pg';
import { attemptDetailColumn, lastErrorOf, toAttempt, toDelivery, toTarget } from '../notification-rows.ts';
import type { NotificationsStore } from '../types-notifications.ts';
import { conflictAs } from './accounts-rows.ts';
import { createEscalationParts, enqueueRows } from './notifications-escalation.ts';
import { inTransaction, one, rows } from './pool.ts';

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
              attemptDetailColumn(attempt),
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
    ...createEscalationParts(pool),
  };
}
