/**
 * Incidents, their linked issues, role holders and timeline (with the edit history of manual
 * entries), organisation incident settings and per-project mitigation hooks.
 */
export const MIGRATION_0007_INCIDENTS = `
  CREATE TABLE incidents (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    title TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    services TEXT NOT NULL,
    ticket_url TEXT,
    channel_url TEXT,
    root_cause TEXT,
    detection_source TEXT,
    first_event_at INTEGER,
    detected_at INTEGER,
    declared_at INTEGER NOT NULL,
    acknowledged_at INTEGER,
    mitigated_at INTEGER,
    resolved_at INTEGER,
    resolution_override TEXT,
    last_update_at INTEGER,
    next_update_due_at INTEGER,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, number)
  );
  CREATE INDEX incidents_status ON incidents (status);
  CREATE TABLE incident_issues (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (incident_id, issue_id)
  ) WITHOUT ROWID;
  CREATE INDEX incident_issues_issue ON incident_issues (issue_id);
  CREATE TABLE incident_roles (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assigned_at INTEGER NOT NULL,
    PRIMARY KEY (incident_id, role)
  ) WITHOUT ROWID;
  CREATE TABLE incident_timeline (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,
    data TEXT NOT NULL,
    actor TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    starred INTEGER NOT NULL DEFAULT 0,
    edited_at INTEGER,
    dedupe_key TEXT,
    UNIQUE (incident_id, dedupe_key)
  );
  CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, occurred_at, id);
  CREATE TABLE incident_timeline_edits (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES incident_timeline(id) ON DELETE CASCADE,
    previous_body TEXT NOT NULL,
    actor TEXT NOT NULL,
    edited_at INTEGER NOT NULL
  );
  CREATE INDEX incident_timeline_edits_entry ON incident_timeline_edits (entry_id, id);
  CREATE TABLE incident_settings (
    org_id INTEGER PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    settings TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE mitigation_hooks (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    url TEXT,
    secret TEXT,
    command TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX deploys_finished ON deploys (date_finished);
`;
