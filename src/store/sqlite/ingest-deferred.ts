import { encodeRefs, takenBatch } from '../event-refs.ts';
import type { CountableEvent, DeferredCounterBatch, EventRef, IngestTx } from '../types.ts';
import type { SqliteConnection } from './connection.ts';

/** Deferred tag-value and bucket counts (docs/decisions/0009-deferred-counters.md). */

export function deferCounters(db: SqliteConnection, events: EventRef[], createdAt: number): number {
  const row = db.get<{ id: number }>(
    'INSERT INTO deferred_counter_batches (created_at, events) VALUES (?, ?) RETURNING id',
    createdAt,
    encodeRefs(events),
  )!;
  return Number(row.id);
}

export function takeDeferredCounters(
  db: SqliteConnection,
  which: Parameters<IngestTx['takeDeferredCounters']>[0],
): DeferredCounterBatch[] {
  const rows =
    'ids' in which
      ? which.ids.length === 0
        ? []
        : db.all<{ id: number; events: string }>(
            `DELETE FROM deferred_counter_batches WHERE id IN (SELECT value FROM json_each(?))
             RETURNING id, events`,
            JSON.stringify(which.ids),
          )
      : db.all<{ id: number; events: string }>(
          `DELETE FROM deferred_counter_batches WHERE id IN (
             SELECT id FROM deferred_counter_batches WHERE created_at < ? ORDER BY id LIMIT ?)
           RETURNING id, events`,
          which.createdBefore,
          which.limit,
        );
  return rows.map((row) => takenBatch(Number(row.id), row.events));
}

export function countableEvents(db: SqliteConnection, refs: EventRef[]): CountableEvent[] {
  const found: CountableEvent[] = [];
  for (const ref of refs) {
    const row = db.get<{ issue_id: number; timestamp: number; tags: string }>(
      'SELECT issue_id, timestamp, tags FROM events WHERE project_id = ? AND event_id = ?',
      ref.projectId,
      ref.eventId,
    );
    if (row) {
      found.push({
        issueId: Number(row.issue_id),
        projectId: ref.projectId,
        timestamp: Number(row.timestamp),
        tags: readTags(row.tags),
      });
    }
  }
  return found;
}

/** An event's stored tags; a damaged value counts the event without tags instead of failing. */
function readTags(text: string): Record<string, string> {
  try {
    const tags = JSON.parse(text) as unknown;
    return tags !== null && typeof tags === 'object' && !Array.isArray(tags)
      ? (tags as Record<string, string>)
      : {};
  } catch {
    return {};
  }
}
