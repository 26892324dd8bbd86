import type pg from 'pg';
import type { AuditEntry, AuditRow, AuditStore } from '../types-audit.ts';
import { type Queryable, type Row, rows } from './pool.ts';

/** Writes the audit row inside the caller's transaction; `createdId` fills a missing targetId. */
export async function insertAudit(
  db: Queryable,
  entry: AuditEntry | undefined,
  createdId?: number,
): Promise<void> {
  if (!entry) return;
  await db.query(
    `INSERT INTO audit_log (org_id, actor, action, target_type, target_id, data, created_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
    [
      entry.orgId,
      entry.actor,
      entry.action,
      entry.targetType,
      entry.targetId ?? (createdId === undefined ? null : String(createdId)),
      JSON.stringify(entry.data),
      entry.now,
    ],
  );
}

function toAuditRow(row: Row): AuditRow {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    actor: String(row.actor),
    action: String(row.action),
    targetType: String(row.target_type),
    targetId: row.target_id === null ? null : String(row.target_id),
    data: row.data as Record<string, unknown>,
    createdAt: Number(row.created_at),
  };
}

export function createAudit(pool: pg.Pool): AuditStore {
  return {
    audit: {
      list: async (orgId, { limit, cursor }) =>
        (
          await rows(
            pool,
            `SELECT * FROM audit_log WHERE org_id = $1 AND ($2::bigint IS NULL OR id < $2)
             ORDER BY id DESC LIMIT $3`,
            [orgId, cursor ?? null, limit],
          )
        ).map(toAuditRow),
    },
  };
}
