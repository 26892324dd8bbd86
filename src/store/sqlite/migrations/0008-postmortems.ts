/**
 * Post-mortems (one per incident, ADR-numbered per organisation; generated facts and the
 * narrative people write, both JSON) and action items (per organisation, optionally on an
 * incident and an issue).
 */
export const MIGRATION_0008_POSTMORTEMS = `
  CREATE TABLE postmortems (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    incident_id INTEGER NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    facts TEXT NOT NULL,
    narrative TEXT NOT NULL DEFAULT '{}',
    generated_at INTEGER NOT NULL,
    generated_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    UNIQUE (org_id, number)
  );
  CREATE TABLE action_items (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    incident_id INTEGER REFERENCES incidents(id) ON DELETE SET NULL,
    issue_id INTEGER REFERENCES issues(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    owner_user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    owner_name TEXT,
    due_at INTEGER,
    completed_at INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX action_items_org_status ON action_items (org_id, status, due_at);
  CREATE INDEX action_items_incident ON action_items (incident_id);
`;
