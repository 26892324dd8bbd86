/**
 * Releases as clients create them (dates, ref, url, status), repositories, commits with their
 * changed files, the commits of each release, and deploys. Ingest keeps creating bare releases
 * (org, version, first_seen, last_seen); for those date_created stays NULL and reads fall back
 * to first_seen.
 */
export const MIGRATION_0003_RELEASES = `
  ALTER TABLE releases
    ADD COLUMN date_created bigint,
    ADD COLUMN date_started bigint,
    ADD COLUMN date_released bigint,
    ADD COLUMN ref text,
    ADD COLUMN url text,
    ADD COLUMN status text NOT NULL DEFAULT 'open';
  CREATE INDEX releases_org_created ON releases (org_id, (coalesce(date_created, first_seen)) DESC, id DESC);
  CREATE INDEX issues_project_first_release ON issues (project_id, first_release);
  CREATE TABLE repositories (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name text NOT NULL,
    url text,
    created_at bigint NOT NULL,
    UNIQUE (org_id, name)
  );
  CREATE TABLE commits (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    repository_id bigint NOT NULL REFERENCES repositories(id) ON DELETE CASCADE,
    sha text NOT NULL,
    message text,
    author_name text,
    author_email text,
    date_created bigint NOT NULL,
    UNIQUE (repository_id, sha)
  );
  CREATE TABLE commit_files (
    commit_id bigint NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    path text NOT NULL,
    type text NOT NULL CHECK (type IN ('A', 'M', 'D')),
    PRIMARY KEY (commit_id, path)
  );
  CREATE TABLE release_commits (
    release_id bigint NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    commit_id bigint NOT NULL REFERENCES commits(id) ON DELETE CASCADE,
    position integer NOT NULL,
    PRIMARY KEY (release_id, commit_id)
  );
  CREATE INDEX release_commits_position ON release_commits (release_id, position);
  CREATE INDEX release_commits_commit ON release_commits (commit_id);
  CREATE TABLE deploys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    release_id bigint NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    environment text NOT NULL,
    name text,
    url text,
    date_started bigint,
    date_finished bigint NOT NULL
  );
  CREATE INDEX deploys_release_finished ON deploys (release_id, date_finished DESC, id DESC);
  CREATE TABLE deploy_projects (
    deploy_id bigint NOT NULL REFERENCES deploys(id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (deploy_id, project_id)
  );
  CREATE INDEX deploy_projects_project ON deploy_projects (project_id);
`;
