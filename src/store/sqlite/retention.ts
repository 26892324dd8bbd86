import type { SQLInputValue } from 'node:sqlite';
import { yieldToEventLoop } from '../../background/yield.ts';
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
      // The lock hands over in microtasks; without this the whole prune would hold the event
      // loop, and no request could be read until it ended.
      await yieldToEventLoop();
      if (deleted < batchSize) return total;
    }
  }

  return {
    async prune({ now, minuteBucketsBefore, batchSize }) {
      let eventsDeleted = 0;
      const projects = h.reader.all<{ id: number; event_max_age_days: number; events_per_issue: number }>(
        'SELECT id, event_max_age_days, events_per_issue FROM projects ORDER BY id',
      );
      let tagValuesDeleted = 0;
      for (const project of projects) {
        const cutoff = now - project.event_max_age_days * DAY_MS;
        // Tag values and outcome counters not seen within the project's retention go too, so
        // per-issue tag rows (user ids, urls…) cannot grow the database without bound.
        tagValuesDeleted += await deleteInBatches(
          `DELETE FROM issue_tag_values WHERE (issue_id, key, value) IN
             (SELECT t.issue_id, t.key, t.value FROM issue_tag_values t JOIN issues i ON i.id = t.issue_id
              WHERE i.project_id = ? AND t.last_seen < ? LIMIT ?)`,
          batchSize,
          project.id,
          cutoff,
        );
        await deleteInBatches(
          `DELETE FROM ingest_outcomes WHERE (project_id, item_type, outcome, day) IN
             (SELECT project_id, item_type, outcome, day FROM ingest_outcomes WHERE project_id = ? AND day < ? LIMIT ?)`,
          batchSize,
          project.id,
          cutoff,
        );
        eventsDeleted += await deleteInBatches(
          `DELETE FROM events WHERE rowid IN
             (SELECT rowid FROM events WHERE project_id = ? AND timestamp < ? LIMIT ?)`,
          batchSize,
          project.id,
          cutoff,
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
      return { eventsDeleted, bucketsDeleted, tagValuesDeleted };
    },
  };
}
