/**
 * The organisation audit log: one row per state change, written in the change's transaction.
 * Rows outlive what they name (no foreign key to the target), so a deleted key stays explained.
 */
export const MIGRATION_0006_AUDIT_LOG = `
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX audit_log_org ON audit_log (org_id, id);
`;
