import type pg from 'pg';
import type { Store } from '../types.ts';
import { addActivities } from './ingest-counters.ts';
import { inTransaction } from './pool.ts';
import { toIssue } from './rows.ts';

export function createIssueWrites(pool: pg.Pool): Pick<Store['issues'], 'setStatus'> {
  return {
    setStatus: (change) =>
      inTransaction(pool, async (client) => {
        const { rows } = await client.query(
          `UPDATE issues SET status = $1, substatus = $2, resolved_at = $3
           WHERE id = $4 AND ($5::text[] IS NULL OR status = ANY($5::text[])) RETURNING *`,
          [change.status, change.substatus, change.resolvedAt, change.issueId, change.from ?? null],
        );
        if (rows.length === 0) return null;
        await addActivities(client, [{ ...change.activity, issueId: change.issueId }]);
        return toIssue(rows[0]);
      }),
  };
}
