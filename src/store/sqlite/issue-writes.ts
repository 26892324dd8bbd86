import type { Store } from '../types.ts';
import type { SqliteHandles } from './connection.ts';
import { addActivities } from './ingest-rows.ts';
import { toIssue } from './rows.ts';

type Row = Record<string, unknown>;

export function createIssueWrites(h: SqliteHandles): Pick<Store['issues'], 'setStatus'> {
  return {
    setStatus: (change) =>
      h.writeLock.run(() => {
        const db = h.writer;
        db.db.exec('BEGIN IMMEDIATE');
        try {
          const from = change.from ? JSON.stringify(change.from) : null;
          const row = db.get<Row>(
            `UPDATE issues SET status = ?, substatus = ?, resolved_at = ?
             WHERE id = ? AND (? IS NULL OR status IN (SELECT value FROM json_each(?))) RETURNING *`,
            change.status,
            change.substatus,
            change.resolvedAt,
            change.issueId,
            from,
            from,
          );
          if (row) addActivities(db, [{ ...change.activity, issueId: change.issueId }]);
          db.db.exec('COMMIT');
          return row ? toIssue(row) : null;
        } catch (error) {
          if (db.db.isTransaction) db.db.exec('ROLLBACK');
          throw error;
        }
      }),
  };
}
