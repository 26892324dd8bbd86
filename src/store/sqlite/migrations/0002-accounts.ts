/** Memberships (user ↔ organisation with a role), teams, their members and their projects. */
export const MIGRATION_0002_ACCOUNTS = `
  CREATE TABLE org_members (
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX org_members_user ON org_members (user_id);
  CREATE TABLE teams (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (org_id, slug)
  );
  CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (team_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX team_members_user ON team_members (user_id);
  CREATE TABLE team_projects (
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, project_id)
  ) WITHOUT ROWID;
  CREATE INDEX team_projects_project ON team_projects (project_id);
  CREATE INDEX api_tokens_org ON api_tokens (org_id);
  CREATE INDEX api_tokens_user ON api_tokens (user_id);
`;
