import type { SQLInputValue } from 'node:sqlite';
import type { Store } from '../types.ts';
import type { SqliteHandles } from './connection.ts';

const DAY_MS = 86_400_000;

/**
 * Each batch is its own short write under the write lock, so ingest gets the connection between
 * batches instead of waiting for the whole prune.
 */
export function createRetention(h: SqliteHandles): Store['retention'] {
  async function deleteInBatches(
    sql: string,
    batchSize: number,
    ...params: SQLInputValue[]
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await h.writeLock.run(() => h.writer.run(sql, ...params, batchSize));
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  return {
    async prune({ now, minuteBucketsBefore, batchSize }) {
      let eventsDeleted = 0;
      const projects = h.reader.all<{ id: number; event_max_age_days: number; events_per_issue: number }>(
        'SELECT id, event_max_age_days, events_per_issue FROM projects ORDER BY id',
      );
      for (const project of projects) {
        eventsDeleted += await deleteInBatches(
          `DELETE FROM events WHERE rowid IN
             (SELECT rowid FROM events WHERE project_id = ? AND timestamp < ? LIMIT ?)`,
          batchSize,
          project.id,
          now - project.event_max_age_days * DAY_MS,
        );
        // An issue holds at most times_seen events, so only issues seen more often than the
        // limit can be over it; this keeps the scan to the few busy issues.
        const crowded = h.reader.all<{ id: number }>(
          'SELECT id FROM issues WHERE project_id = ? AND times_seen > ?',
          project.id,
          project.events_per_issue,
        );
        for (const issue of crowded) {
          const firstToDrop = h.reader.get<{ timestamp: number; event_id: string }>(
            `SELECT timestamp, event_id FROM events WHERE issue_id = ?
             ORDER BY timestamp DESC, event_id DESC LIMIT 1 OFFSET ?`,
            issue.id,
            project.events_per_issue,
          );
          if (!firstToDrop) continue;
          eventsDeleted += await deleteInBatches(
            `DELETE FROM events WHERE rowid IN (SELECT rowid FROM events
               WHERE issue_id = ? AND (timestamp, event_id) <= (?, ?) LIMIT ?)`,
            batchSize,
            issue.id,
            firstToDrop.timestamp,
            firstToDrop.event_id,
          );
        }
      }
      const bucketsDeleted = await deleteInBatches(
        `DELETE FROM issue_buckets_minute WHERE (issue_id, start) IN
           (SELECT issue_id, start FROM issue_buckets_minute WHERE start < ? LIMIT ?)`,
        batchSize,
        minuteBucketsBefore,
      );
      return { eventsDeleted, bucketsDeleted };
    },
  };
}
