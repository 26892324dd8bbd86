import type pg from 'pg';
import type { Store } from '../types.ts';
import { one, rows } from './pool.ts';

const DAY_MS = 86_400_000;

/**
 * Every batch is its own autocommitted statement, so no lock is held across the whole prune and
 * ingest on other nodes keeps flowing. Two nodes pruning at once only race to delete the same
 * rows, which is harmless.
 */
export function createRetention(pool: pg.Pool): Store['retention'] {
  async function deleteInBatches(sql: string, batchSize: number, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = (await pool.query(sql, [...params, batchSize])).rowCount ?? 0;
      total += deleted;
      if (deleted < batchSize) return total;
    }
  }

  return {
    async prune({ now, minuteBucketsBefore, batchSize }) {
      let eventsDeleted = 0;
      const projects = await rows<{ id: number; event_max_age_days: number; events_per_issue: number }>(
        pool,
        'SELECT id, event_max_age_days, events_per_issue FROM projects ORDER BY id',
      );
      let tagValuesDeleted = 0;
      for (const project of projects) {
        const cutoff = now - project.event_max_age_days * DAY_MS;
        // Tag values and outcome counters not seen within the project's retention go too, so
        // per-issue tag rows (user ids, urls…) cannot grow the database without bound.
        tagValuesDeleted += await deleteInBatches(
          `DELETE FROM issue_tag_values WHERE ctid = ANY(ARRAY(
             SELECT t.ctid FROM issue_tag_values t JOIN issues i ON i.id = t.issue_id
             WHERE i.project_id = $1 AND t.last_seen < $2 LIMIT $3))`,
          batchSize,
          [project.id, cutoff],
        );
        await deleteInBatches(
          `DELETE FROM ingest_outcomes WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM ingest_outcomes WHERE project_id = $1 AND day < $2 LIMIT $3))`,
          batchSize,
          [project.id, cutoff],
        );
        eventsDeleted += await deleteInBatches(
          `DELETE FROM events WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM events WHERE project_id = $1 AND timestamp < $2 LIMIT $3))`,
          batchSize,
          [project.id, cutoff],
        );
        // An issue holds at most times_seen events, so only issues seen more often than the
        // limit can be over it; this keeps the scan to the few busy issues.
        const crowded = await rows<{ id: number }>(
          pool,
          'SELECT id FROM issues WHERE project_id = $1 AND times_seen > $2',
          [project.id, project.events_per_issue],
        );
        for (const issue of crowded) {
          const firstToDrop = await one<{ timestamp: number; event_id: string }>(
            pool,
            `SELECT timestamp, event_id FROM events WHERE issue_id = $1
             ORDER BY timestamp DESC, event_id DESC LIMIT 1 OFFSET $2`,
            [issue.id, project.events_per_issue],
          );
          if (!firstToDrop) continue;
          eventsDeleted += await deleteInBatches(
            `DELETE FROM events WHERE ctid = ANY(ARRAY(
               SELECT ctid FROM events WHERE issue_id = $1 AND (timestamp, event_id) <= ($2, $3) LIMIT $4))`,
            batchSize,
            [issue.id, firstToDrop.timestamp, firstToDrop.event_id],
          );
        }
      }
      const bucketsDeleted = await deleteInBatches(
        `DELETE FROM issue_buckets_minute WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM issue_buckets_minute WHERE start < $1 LIMIT $2))`,
        batchSize,
        [minuteBucketsBefore],
      );
      return { eventsDeleted, bucketsDeleted, tagValuesDeleted };
    },
  };
}
