import type { SQLInputValue } from 'node:sqlite';
import { AppError } from '../../app-error.ts';
import { attemptDetailColumn, lastErrorOf, toAttempt, toDelivery, toTarget } from '../notification-rows.ts';
import type { NotificationsStore } from '../types-notifications.ts';
import type { SqliteHandles } from './connection.ts';
import { writeTransaction } from './connection.ts';
import { createEscalationParts, enqueueRows } from './notifications-escalation.ts';

type Row = Record<string, unknown>;
const SQLITE_CONSTRAINT_UNIQUE = 2067;

/** A second target of the same name in the organisation is a CONFLICT, not an internal error. */
async function uniqueName<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if ((error as { errcode?: number }).errcode === SQLITE_CONSTRAINT_UNIQUE) {
      throw new AppError('CONFLICT', 'a notification target of that name already exists', { cause: error });
    }
    throw error;
  }
}

const DUE_SQL = `SELECT id FROM notification_deliveries
  WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?) LIMIT 1`;

const marks = (values: unknown[]) => values.map(() => '?').join(',');

export function createNotifications(h: SqliteHandles): NotificationsStore {
  const read = h.reader;
  const target = (sql: string, ...params: SQLInputValue[]) => {
    const row = read.get<Row>(sql, ...params);
    return row ? toTarget(row) : null;
  };
  return {
    notificationTargets: {
      create: (input) =>
        uniqueName(
          writeTransaction(h, (db) =>
            toTarget(
              db.get<Row>(
                `INSERT INTO notification_targets (org_id, name, kind, config, secrets, enabled, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
                input.orgId,
                input.name,
                input.kind,
                JSON.stringify(input.config),
                JSON.stringify(input.secrets),
                input.enabled ? 1 : 0,
                input.now,
                input.now,
              ) as Row,
            ),
          ),
        ),
      get: async (orgId, id) =>
        target('SELECT * FROM notification_targets WHERE org_id = ? AND id = ?', orgId, id),
      getById: async (id) => target('SELECT * FROM notification_targets WHERE id = ?', id),
      list: async (orgId) =>
        read.all<Row>('SELECT * FROM notification_targets WHERE org_id = ? ORDER BY id', orgId).map(toTarget),
      update: (orgId, id, change) =>
        uniqueName(
          writeTransaction(h, (db) => {
            const row = db.get<Row>(
              `UPDATE notification_targets SET name = COALESCE(?, name), config = COALESCE(?, config),
               secrets = COALESCE(?, secrets), enabled = COALESCE(?, enabled), updated_at = ?
             WHERE org_id = ? AND id = ? RETURNING *`,
              change.name ?? null,
              change.config ? JSON.stringify(change.config) : null,
              change.secrets ? JSON.stringify(change.secrets) : null,
              change.enabled === undefined ? null : change.enabled ? 1 : 0,
              change.now,
              orgId,
              id,
            );
            return row ? toTarget(row) : null;
          }),
        ),
      delete: (orgId, id) =>
        writeTransaction(
          h,
          (db) => db.run('DELETE FROM notification_targets WHERE org_id = ? AND id = ?', orgId, id) > 0,
        ),
    },
    notificationDeliveries: {
      enqueue: (orgId, deliveries, now) =>
        writeTransaction(h, (db) => enqueueRows(db, orgId, deliveries, now)),
      // BEGIN IMMEDIATE holds the database's write lock, so another process claims after us and
      // no longer sees these rows as pending.
      claimDue: async ({ now, limit, leaseUntil }) => {
        // Most passes find nothing: a read on the reader says so without taking the write lock.
        if (!read.get<Row>(DUE_SQL, now, now)) return [];
        return writeTransaction(h, (db) => {
          const ids = db
            .all<Row>(
              `SELECT id FROM notification_deliveries
               WHERE (status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND lease_until <= ?)
               ORDER BY next_attempt_at, id LIMIT ?`,
              now,
              now,
              limit,
            )
            .map((row) => Number(row.id));
          if (ids.length === 0) return [];
          return db.db
            .prepare(
              `UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1, lease_until = ?,
                 updated_at = ? WHERE id IN (${marks(ids)}) RETURNING *`,
            )
            .all(leaseUntil, now, ...ids)
            .map((row) => toDelivery(row as Row))
            .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
        });
      },
      claim: (id, now, leaseUntil) =>
        writeTransaction(h, (db) => {
          const row = db.get<Row>(
            `UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1, lease_until = ?,
               updated_at = ? WHERE id = ? AND status = 'pending' RETURNING *`,
            leaseUntil,
            now,
            id,
          );
          return row ? toDelivery(row) : null;
        }),
      finish: (id, claimedAttempt, outcome, now) =>
        writeTransaction(h, (db) => {
          const { attempt, status, nextAttemptAt } = outcome;
          const changed = db.run(
            `UPDATE notification_deliveries SET status = ?, next_attempt_at = ?, lease_until = NULL,
               last_error = ?, sent_at = ?, updated_at = ?
             WHERE id = ? AND status = 'sending' AND attempts = ?`,
            status,
            nextAttemptAt,
            lastErrorOf(attempt.ok, attempt.detail),
            status === 'sent' ? now : null,
            now,
            id,
            claimedAttempt,
          );
          if (changed === 0) return false;
          db.run(
            `INSERT INTO notification_attempts (delivery_id, attempt, ok, status_code, detail, started_at, finished_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
            id,
            claimedAttempt,
            attempt.ok ? 1 : 0,
            attempt.statusCode,
            attemptDetailColumn(attempt),
            attempt.startedAt,
            attempt.finishedAt,
          );
          return true;
        }),
      get: async (orgId, id) => {
        const row = read.get<Row>(
          'SELECT * FROM notification_deliveries WHERE org_id = ? AND id = ?',
          orgId,
          id,
        );
        return row ? toDelivery(row) : null;
      },
      list: async ({ orgId, status, targetId, limit, offset }) =>
        read
          .all<Row>(
            `SELECT * FROM notification_deliveries WHERE org_id = ? AND (? IS NULL OR status = ?)
               AND (? IS NULL OR target_id = ?) ORDER BY id DESC LIMIT ? OFFSET ?`,
            orgId,
            status ?? null,
            status ?? null,
            targetId ?? null,
            targetId ?? null,
            limit,
            offset,
          )
          .map(toDelivery),
      attempts: async (ids) =>
        ids.length === 0
          ? []
          : read.db
              .prepare(
                `SELECT * FROM notification_attempts WHERE delivery_id IN (${marks(ids)}) ORDER BY delivery_id, attempt`,
              )
              .all(...ids)
              .map((row) => toAttempt(row as Row)),
    },
    ...createEscalationParts(h),
  };
}
