import type { AuditEntry, AuditRow, AuditStore } from '../types-audit.ts';
import type { SqliteConnection, SqliteHandles } from './connection.ts';

type Row = Record<string, unknown>;

/** Writes the audit row inside the caller's transaction; `createdId` fills a missing targetId. */
export function insertAudit(db: SqliteConnection, entry: AuditEntry | undefined, createdId?: number): void {
  if (!entry) return;
  db.run(
    `INSERT INTO audit_log (org_id, actor, action, target_type, target_id, data, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    entry.orgId,
    entry.actor,
    entry.action,
    entry.targetType,
    entry.targetId ?? (createdId === undefined ? null : String(createdId)),
    JSON.stringify(entry.data),
    entry.now,
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
    data: JSON.parse(String(row.data)),
    createdAt: Number(row.created_at),
  };
}

export function createAudit(h: SqliteHandles): AuditStore {
  return {
    audit: {
      list: async (orgId, { limit, cursor }) =>
        h.reader
          .all<Row>(
            'SELECT * FROM audit_log WHERE org_id = ? AND (? IS NULL OR id < ?) ORDER BY id DESC LIMIT ?',
            orgId,
            cursor ?? null,
            cursor ?? null,
            limit,
          )
          .map(toAuditRow),
    },
  };
}
