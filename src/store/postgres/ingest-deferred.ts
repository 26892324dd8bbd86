import type { PoolClient } from 'pg';
import { encodeRefs, takenBatch } from '../event-refs.ts';
import type { CountableEvent, DeferredCounterBatch, EventRef, IngestTx } from '../types.ts';
import { rows } from './pool.ts';
import type { Statement } from './write-behind.ts';

/** Deferred tag-value and bucket counts (docs/decisions/0009-deferred-counters.md). */

/**
 * All of a batch's parts in one statement (returning their ids). Ids come from the sequence in
 * the order the rows are inserted, which follows the ordinality, so the ids sorted ascending
 * match the batches given.
 */
export function deferCountersStatement(batches: Parameters<IngestTx['deferCounters']>[0]): Statement {
  return {
    kind: 'deferred_counter_batches',
    sql: `INSERT INTO deferred_counter_batches (created_at, events)
     SELECT created_at, events FROM unnest($1::bigint[], $2::text[]) WITH ORDINALITY AS b(created_at, events, n)
     ORDER BY n
     RETURNING id`,
    values: [batches.map((batch) => batch.createdAt), batches.map((batch) => encodeRefs(batch.events))],
  };
}

/** DELETE … RETURNING: of two nodes taking the same batch, the second finds it gone. */
export async function takeDeferredCounters(
  client: PoolClient,
  which: Parameters<IngestTx['takeDeferredCounters']>[0],
): Promise<DeferredCounterBatch[]> {
  if ('ids' in which && which.ids.length === 0) return [];
  const taken =
    'ids' in which
      ? await rows<{ id: string; events: string }>(
          client,
          'DELETE FROM deferred_counter_batches WHERE id = ANY($1::bigint[]) RETURNING id, events',
          [which.ids],
        )
      : await rows<{ id: string; events: string }>(
          client,
          `DELETE FROM deferred_counter_batches WHERE id IN (
             SELECT id FROM deferred_counter_batches WHERE created_at < $1 ORDER BY id LIMIT $2
             FOR UPDATE SKIP LOCKED)
           RETURNING id, events`,
          [which.createdBefore, which.limit],
        );
  return taken.map((row) => takenBatch(Number(row.id), row.events));
}

export async function countableEvents(client: PoolClient, refs: EventRef[]): Promise<CountableEvent[]> {
  if (refs.length === 0) return [];
  const found = await rows<{
    issue_id: string;
    project_id: string;
    timestamp: string;
    tags: Record<string, string>;
  }>(
    client,
    `SELECT e.issue_id, e.project_id, e.timestamp, e.tags
     FROM unnest($1::bigint[], $2::text[]) AS r(project_id, event_id)
     JOIN events e ON e.project_id = r.project_id AND e.event_id = r.event_id`,
    [refs.map((r) => r.projectId), refs.map((r) => r.eventId)],
  );
  return found.map((row) => ({
    issueId: Number(row.issue_id),
    projectId: Number(row.project_id),
    timestamp: Number(row.timestamp),
    tags: row.tags,
  }));
}
