/**
 * Releases as clients create them (dates, ref, url, status), repositories, commits with their
 * changed files, the commits of each release, and deploys. Ingest keeps creating bare releases
 * (org, version, first_seen, last_seen); for those date_created stays NULL and reads fall back
 * to first_seen.
 */
export const MIGRATION_0003_RELEASES = `
  ALTER TABLE releases ADD COLUMN date_created INTEGER;
  ALTER TABLE releases ADD COLUMN date_started INTEGER;
  ALTER TABLE releases ADD COLUMN date_released INTEGER;
  ALTER TABLE releases ADD COLUMN ref TEXT;
  ALTER TABLE releases ADD COLUMN url TEXT;
  ALTER TABLE releases ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
  CREATE INDEX releases_org_created ON releases (org_id, coalesce(date_created, first_seen) DESC, id DESC);
  CREATE INDEX issues_project_first_release ON issues (project_id, first_release);
  CREATE TABLE repositories (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    url TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (org_id, name)
  );
  CREATE TABLE commits (
    id INTEGER PRIMARY KEY,
    repository_id INTEGER NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    sha TEXT NOT NULL,
    message TEXT,
    author_name TEXT,
    author_email TEXT,
    date_created INTEGER NOT NULL,
    UNIQUE (repository_id, sha)
  );
  CREATE TABLE commit_files (
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('A', 'M', 'D')),
    PRIMARY KEY (commit_id, path)
  ) WITHOUT ROWID;
  CREATE TABLE release_commits (
    release_id INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    commit_id INTEGER NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (release_id, commit_id)
  ) WITHOUT ROWID;
  CREATE INDEX release_commits_position ON release_commits (release_id, position);
  CREATE INDEX release_commits_commit ON release_commits (commit_id);
  CREATE TABLE deploys (
    id INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    environment TEXT NOT NULL,
    name TEXT,
    url TEXT,
    date_started INTEGER,
    date_finished INTEGER NOT NULL
  );
  CREATE INDEX deploys_release_finished ON deploys (release_id, date_finished DESC, id DESC);
  CREATE TABLE deploy_projects (
    deploy_id INTEGER NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (deploy_id, project_id)
  ) WITHOUT ROWID;
  CREATE INDEX deploy_projects_project ON deploy_projects (project_id);
`;
