import type pg from 'pg';
import type { PoolClient } from 'pg';
import type { Issue } from '../types.ts';
import type { IssueChange, IssueWorkflowStore } from '../types-issues.ts';
import { insertAudit } from './audit.ts';
import { addActivities } from './ingest-counters.ts';
import { inTransaction, one, type Row } from './pool.ts';
import { toActivity, toIssue } from './rows.ts';

type IssueWrites = Pick<IssueWorkflowStore, 'update' | 'delete' | 'addNote'>;

export function createIssueWrites(pool: pg.Pool): IssueWrites {
  return {
    update: (changes) =>
      inTransaction(pool, async (client) => {
        const updated: Issue[] = [];
        // Issue id order, as ingest locks them, so the two never wait on each other in a cycle.
        for (const change of [...changes].sort((a, b) => a.issueId - b.issueId)) {
          const row = await applyChange(client, change);
          if (!row) continue;
          await addActivities(
            client,
            change.activities.map((activity) => ({ ...activity, issueId: change.issueId })),
          );
          updated.push(toIssue(row));
        }
        return updated;
      }),
    delete: (issueIds, audit = []) =>
      inTransaction(pool, async (client) => {
        // Events, hashes, buckets, tags, users and activities go with the issue (ON DELETE CASCADE).
        const { rows } = await client.query('DELETE FROM issues WHERE id = ANY($1::bigint[]) RETURNING id', [
          issueIds,
        ]);
        const deleted = new Set(rows.map((row) => String(row.id)));
        for (const entry of audit) if (deleted.has(entry.targetId ?? '')) await insertAudit(client, entry);
        return deleted.size;
      }),
    async addNote(input) {
      const row = await one(
        pool,
        `INSERT INTO issue_activities (issue_id, type, data, actor, created_at)
         SELECT id, 'note', $1::jsonb, $2, $3 FROM issues WHERE id = $4 RETURNING *`,
        [JSON.stringify({ text: input.text }), input.actor, input.now, input.issueId],
      );
      return row ? toActivity(row) : null;
    },
  };
}

async function applyChange(client: PoolClient, change: IssueChange): Promise<Row | undefined> {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const sets: string[] = [];
  if (change.status) {
    const { status, substatus, resolvedAt, details } = change.status;
    sets.push(
      `status = ${bind(status)}`,
      `substatus = ${bind(substatus)}`,
      `resolved_at = ${bind(resolvedAt)}::bigint`,
      `status_details = ${bind(details ? JSON.stringify(details) : null)}::jsonb`,
    );
  }
  if (change.assignee) {
    sets.push(
      `assignee_user_id = ${bind(change.assignee.userId)}::bigint`,
      `assignee_team_id = ${bind(change.assignee.teamId)}::bigint`,
    );
  }
  const from = bind(change.from ?? null);
  const where = `id = ${bind(change.issueId)} AND (${from}::text[] IS NULL OR status = ANY(${from}::text[]))`;
  const sql =
    sets.length > 0
      ? `UPDATE issues SET ${sets.join(', ')} WHERE ${where} RETURNING *`
      : `SELECT * FROM issues WHERE ${where} FOR UPDATE`;
  return one(client, sql, params);
}
