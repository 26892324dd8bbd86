/**
 * Batches of committed events whose tag-value and bucket counts are still to be written
 * (docs/decisions/0009-deferred-counters.md). `events` is a JSON array of [projectId, eventId].
 */
export const MIGRATION_0012_DEFERRED_COUNTERS = `
  CREATE TABLE deferred_counter_batches (
    id bigserial PRIMARY KEY,
    created_at bigint NOT NULL,
    events text NOT NULL
  );
  CREATE INDEX deferred_counter_batches_created ON deferred_counter_batches (created_at);
`;
