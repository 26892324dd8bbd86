/**
 * Event search: the per-event display fields and tags, written at ingest so event lists and
 * Discover filter without decompressing payloads. Rows stored before this migration take their
 * issue's display fields; their tags stay empty (they live only in the payload).
 */
export const MIGRATION_0005_EVENT_QUERIES = `
  ALTER TABLE events ADD COLUMN title TEXT NOT NULL DEFAULT '';
  ALTER TABLE events ADD COLUMN culprit TEXT NOT NULL DEFAULT '';
  ALTER TABLE events ADD COLUMN event_type TEXT NOT NULL DEFAULT 'default';
  ALTER TABLE events ADD COLUMN error_type TEXT;
  ALTER TABLE events ADD COLUMN error_value TEXT;
  ALTER TABLE events ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';
  UPDATE events SET
    title = i.title,
    culprit = i.culprit,
    event_type = i.type,
    error_type = CASE WHEN i.type = 'error' THEN json_extract(i.metadata, '$.type') END,
    error_value = CASE WHEN i.type = 'error' THEN nullif(json_extract(i.metadata, '$.value'), '') END
  FROM issues i WHERE i.id = events.issue_id;
`;
