/**
 * Post-mortems (one per incident, ADR-numbered per organisation; generated facts and the
 * narrative people write, both JSON) and action items (per organisation, optionally on an
 * incident and an issue).
 */
export const MIGRATION_0008_POSTMORTEMS = `
  CREATE TABLE postmortems (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    incident_id bigint NOT NULL UNIQUE REFERENCES incidents(id) ON DELETE CASCADE,
    number bigint NOT NULL,
    version bigint NOT NULL DEFAULT 1,
    facts jsonb NOT NULL,
    narrative jsonb NOT NULL DEFAULT '{}'::jsonb,
    generated_at bigint NOT NULL,
    generated_by text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    updated_by text NOT NULL,
    UNIQUE (org_id, number)
  );
  CREATE TABLE action_items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    incident_id bigint REFERENCES incidents(id) ON DELETE SET NULL,
    issue_id bigint REFERENCES issues(id) ON DELETE SET NULL,
    title text NOT NULL,
    description text,
    kind text NOT NULL,
    status text NOT NULL,
    owner_user_id bigint REFERENCES users(id) ON DELETE SET NULL,
    owner_name text,
    due_at bigint,
    completed_at bigint,
    version bigint NOT NULL DEFAULT 1,
    created_by text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX action_items_org_status ON action_items (org_id, status, due_at);
  CREATE INDEX action_items_incident ON action_items (incident_id);
`;
