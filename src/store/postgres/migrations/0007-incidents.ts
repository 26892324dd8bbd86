/**
 * Incidents, their linked issues, role holders and timeline (with the edit history of manual
 * entries), organisation incident settings and per-project mitigation hooks.
 */
export const MIGRATION_0007_INCIDENTS = `
  CREATE TABLE incidents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    number bigint NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    title text NOT NULL,
    severity text NOT NULL,
    status text NOT NULL,
    services jsonb NOT NULL,
    ticket_url text,
    channel_url text,
    root_cause text,
    detection_source text,
    first_event_at bigint,
    detected_at bigint,
    declared_at bigint NOT NULL,
    acknowledged_at bigint,
    mitigated_at bigint,
    resolved_at bigint,
    resolution_override text,
    last_update_at bigint,
    next_update_due_at bigint,
    created_by text NOT NULL,
    updated_at bigint NOT NULL,
    UNIQUE (org_id, number)
  );
  CREATE INDEX incidents_status ON incidents (status);
  CREATE TABLE incident_issues (
    incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    linked_at bigint NOT NULL,
    PRIMARY KEY (incident_id, issue_id)
  );
  CREATE INDEX incident_issues_issue ON incident_issues (issue_id);
  CREATE TABLE incident_roles (
    incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    role text NOT NULL,
    user_id bigint NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    assigned_at bigint NOT NULL,
    PRIMARY KEY (incident_id, role)
  );
  CREATE TABLE incident_timeline (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    kind text NOT NULL,
    body text NOT NULL,
    data jsonb NOT NULL,
    actor text NOT NULL,
    occurred_at bigint NOT NULL,
    created_at bigint NOT NULL,
    starred boolean NOT NULL DEFAULT false,
    edited_at bigint,
    dedupe_key text,
    UNIQUE (incident_id, dedupe_key)
  );
  CREATE INDEX incident_timeline_incident ON incident_timeline (incident_id, occurred_at, id);
  CREATE TABLE incident_timeline_edits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id bigint NOT NULL REFERENCES incident_timeline(id) ON DELETE CASCADE,
    previous_body text NOT NULL,
    actor text NOT NULL,
    edited_at bigint NOT NULL
  );
  CREATE INDEX incident_timeline_edits_entry ON incident_timeline_edits (entry_id, id);
  CREATE TABLE incident_settings (
    org_id bigint PRIMARY KEY REFERENCES orgs(id) ON DELETE CASCADE,
    settings jsonb NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE TABLE mitigation_hooks (
    project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    url text,
    secret text,
    command jsonb,
    updated_at bigint NOT NULL
  );
  CREATE INDEX deploys_finished ON deploys (date_finished);
`;
