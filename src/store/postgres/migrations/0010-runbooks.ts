/**
 * Runbooks (Markdown attached to projects and to tag values such as `service:api`), links between
 * incidents (a recurrence of an earlier one), and each incident's memory signature: the issues,
 * grouping hashes, top frames and components it was about, kept so retention pruning old events
 * cannot erase what a past incident looked like.
 */
export const MIGRATION_0010_RUNBOOKS = `
  CREATE TABLE runbooks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    title text NOT NULL,
    body text NOT NULL,
    created_by text NOT NULL,
    updated_by text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX runbooks_org ON runbooks (org_id, title);
  CREATE TABLE runbook_projects (
    runbook_id bigint NOT NULL REFERENCES runbooks(id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (runbook_id, project_id)
  );
  CREATE INDEX runbook_projects_project ON runbook_projects (project_id);
  CREATE TABLE runbook_tags (
    runbook_id bigint NOT NULL REFERENCES runbooks(id) ON DELETE CASCADE,
    key text NOT NULL,
    value text NOT NULL,
    PRIMARY KEY (runbook_id, key, value)
  );
  CREATE INDEX runbook_tags_key_value ON runbook_tags (key, value);
  CREATE TABLE incident_links (
    incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    related_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    relation text NOT NULL,
    data jsonb NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (incident_id, related_id)
  );
  CREATE INDEX incident_links_related ON incident_links (related_id);
  CREATE TABLE incident_signatures (
    incident_id bigint PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    signature jsonb NOT NULL,
    computed_at bigint NOT NULL
  );
  CREATE INDEX incidents_org_declared ON incidents (org_id, declared_at);
  CREATE INDEX issue_hashes_hash ON issue_hashes (hash);
`;
