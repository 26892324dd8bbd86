/**
 * Deferred counter batches live about a second (a counter window) and recovery scans them in id
 * order, so an index on created_at only cost every ingest transaction a write: on SQLite one
 * more page in each commit's WAL (`node bench/commit-pages.ts`; docs/performance.md).
 */
export const MIGRATION_0013_UNINDEXED_DEFERRED_BATCHES = `
  DROP INDEX IF EXISTS deferred_counter_batches_created;
`;
