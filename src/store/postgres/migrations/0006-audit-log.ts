/**
 * The organisation audit log: one row per state change, written in the change's transaction.
 * Rows outlive what they name (no foreign key to the target), so a deleted key stays explained.
 */
export const MIGRATION_0006_AUDIT_LOG = `
  CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    actor text NOT NULL,
    action text NOT NULL,
    target_type text NOT NULL,
    target_id text,
    data jsonb NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE INDEX audit_log_org ON audit_log (org_id, id);
`;
