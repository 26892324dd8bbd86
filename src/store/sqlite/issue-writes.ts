import type { Issue } from '../types.ts';
import type { IssueChange, IssueWorkflowStore } from '../types-issues.ts';
import { insertAudit } from './audit.ts';
import { type SqliteConnection, type SqliteHandles, writeTransaction } from './connection.ts';
import { addActivities } from './ingest-rows.ts';
import { toActivity, toIssue } from './rows.ts';

type Row = Record<string, unknown>;
type IssueWrites = Pick<IssueWorkflowStore, 'update' | 'delete' | 'addNote'>;

export function createIssueWrites(h: SqliteHandles): IssueWrites {
  const transaction = <T>(fn: (db: SqliteConnection) => T): Promise<T> => writeTransaction(h, fn);

  return {
    update: (changes) =>
      transaction((db) => {
        const updated: Issue[] = [];
        for (const change of changes) {
          const row = applyChange(db, change);
          if (!row) continue;
          addActivities(
            db,
            change.activities.map((activity) => ({ ...activity, issueId: change.issueId })),
          );
          updated.push(toIssue(row));
        }
        return updated;
      }),
    delete: (issueIds, audit = []) =>
      transaction((db) => {
        // Events, hashes, buckets, tags, users and activities go with the issue (ON DELETE CASCADE).
        const deleted = new Set(
          db
            .all<Row>(
              'DELETE FROM issues WHERE id IN (SELECT value FROM json_each(?)) RETURNING id',
              JSON.stringify(issueIds),
            )
            .map((row) => String(row.id)),
        );
        for (const entry of audit) if (deleted.has(entry.targetId ?? '')) insertAudit(db, entry);
        return deleted.size;
      }),
    addNote: (input) =>
      h.writeLock.run(() => {
        const row = h.writer.get<Row>(
          `INSERT INTO issue_activities (issue_id, type, data, actor, created_at)
           SELECT id, 'note', ?, ?, ? FROM issues WHERE id = ? RETURNING *`,
          JSON.stringify({ text: input.text }),
          input.actor,
          input.now,
          input.issueId,
        );
        return row ? toActivity(row) : null;
      }),
  };
}

function applyChange(db: SqliteConnection, change: IssueChange): Row | undefined {
  const sets: string[] = [];
  const params: (string | number | null)[] = [];
  if (change.status) {
    sets.push('status = ?', 'substatus = ?', 'resolved_at = ?', 'status_details = ?');
    const { status, substatus, resolvedAt, details } = change.status;
    params.push(status, substatus, resolvedAt, details ? JSON.stringify(details) : null);
  }
  if (change.assignee) {
    sets.push('assignee_user_id = ?', 'assignee_team_id = ?');
    params.push(change.assignee.userId, change.assignee.teamId);
  }
  const from = change.from ? JSON.stringify(change.from) : null;
  const where = 'id = ? AND (? IS NULL OR status IN (SELECT value FROM json_each(?)))';
  const sql =
    sets.length > 0
      ? `UPDATE issues SET ${sets.join(', ')} WHERE ${where} RETURNING *`
      : `SELECT * FROM issues WHERE ${where}`;
  return db.get<Row>(sql, ...params, change.issueId, from, from);
}
