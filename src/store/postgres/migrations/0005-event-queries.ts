/**
 * Event search: the per-event display fields and tags, written at ingest so event lists and
 * Discover filter without decompressing payloads. Rows stored before this migration take their
 * issue's display fields; their tags stay empty (they live only in the payload).
 */
export const MIGRATION_0005_EVENT_QUERIES = `
  ALTER TABLE events
    ADD COLUMN title text NOT NULL DEFAULT '',
    ADD COLUMN culprit text NOT NULL DEFAULT '',
    ADD COLUMN event_type text NOT NULL DEFAULT 'default',
    ADD COLUMN error_type text,
    ADD COLUMN error_value text,
    ADD COLUMN tags jsonb NOT NULL DEFAULT '{}';
  UPDATE events e SET
    title = i.title,
    culprit = i.culprit,
    event_type = i.type,
    error_type = CASE WHEN i.type = 'error' THEN i.metadata->>'type' END,
    error_value = CASE WHEN i.type = 'error' THEN nullif(i.metadata->>'value', '') END
  FROM issues i WHERE i.id = e.issue_id;
`;
