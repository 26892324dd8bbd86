/**
 * Runbooks (Markdown attached to projects and to tag values such as `service:api`), links between
 * incidents (a recurrence of an earlier one), and each incident's memory signature: the issues,
 * grouping hashes, top frames and components it was about, kept so retention pruning old events
 * cannot erase what a past incident looked like.
 */
export const MIGRATION_0010_RUNBOOKS = `
  CREATE TABLE runbooks (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX runbooks_org ON runbooks (org_id, title);
  CREATE TABLE runbook_projects (
    runbook_id INTEGER NOT NULL REFERENCES runbooks(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (runbook_id, project_id)
  ) WITHOUT ROWID;
  CREATE INDEX runbook_projects_project ON runbook_projects (project_id);
  CREATE TABLE runbook_tags (
    runbook_id INTEGER NOT NULL REFERENCES runbooks(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (runbook_id, key, value)
  ) WITHOUT ROWID;
  CREATE INDEX runbook_tags_key_value ON runbook_tags (key, value);
  CREATE TABLE incident_links (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    related_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    relation TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (incident_id, related_id)
  ) WITHOUT ROWID;
  CREATE INDEX incident_links_related ON incident_links (related_id);
  CREATE TABLE incident_signatures (
    incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    signature TEXT NOT NULL,
    computed_at INTEGER NOT NULL
  );
  CREATE INDEX incidents_org_declared ON incidents (org_id, declared_at);
  CREATE INDEX issue_hashes_hash ON issue_hashes (hash);
`;
