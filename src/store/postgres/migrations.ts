import { MIGRATION_0002_ACCOUNTS } from './migrations/0002-accounts.ts';
import { MIGRATION_0003_RELEASES } from './migrations/0003-releases.ts';
import { MIGRATION_0004_ISSUE_WORKFLOW } from './migrations/0004-issue-workflow.ts';
import { MIGRATION_0005_EVENT_QUERIES } from './migrations/0005-event-queries.ts';
import { MIGRATION_0006_AUDIT_LOG } from './migrations/0006-audit-log.ts';
import { MIGRATION_0007_INCIDENTS } from './migrations/0007-incidents.ts';
import { MIGRATION_0008_POSTMORTEMS } from './migrations/0008-postmortems.ts';
import { MIGRATION_0009_ALERTS } from './migrations/0009-alerts.ts';
import { MIGRATION_0010_RUNBOOKS } from './migrations/0010-runbooks.ts';
import { MIGRATION_0011_NOTIFICATIONS } from './migrations/0011-notifications.ts';
import { MIGRATION_0012_DEFERRED_COUNTERS } from './migrations/0012-deferred-counters.ts';
import { MIGRATION_0013_UNINDEXED_DEFERRED_BATCHES } from './migrations/0013-unindexed-deferred-batches.ts';
import { MIGRATION_0014_STATUS_UPDATE_TARGETS } from './migrations/0014-status-update-targets.ts';
import { MIGRATION_0015_IDS_NEVER_REUSED } from './migrations/0015-ids-never-reused.ts';
import { MIGRATION_0016_ISSUE_PLATFORM } from './migrations/0016-issue-platform.ts';
import { MIGRATION_0017_ISSUE_CREATED_AT } from './migrations/0017-issue-created-at.ts';
import { MIGRATION_0018_ESCALATION_SEVERITY } from './migrations/0018-escalation-severity.ts';
import { MIGRATION_0019_EVENT_USER_FIELDS } from './migrations/0019-event-user-fields.ts';
import { MIGRATION_0020_ALERT_RULE_ENABLED_AT } from './migrations/0020-alert-rule-enabled-at.ts';
import { MIGRATION_0021_USER_IDENTITIES } from './migrations/0021-user-identities.ts';

/**
 * Numbered PostgreSQL migrations: index + 1 is the version recorded in schema_migrations. Append
 * only. Times are epoch ms in bigint columns, exactly as in SQLite.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE orgs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug text NOT NULL UNIQUE,
    name text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE TABLE projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    slug text NOT NULL,
    name text NOT NULL,
    platform text,
    created_at bigint NOT NULL,
    event_max_age_days integer NOT NULL DEFAULT 90,
    events_per_issue integer NOT NULL DEFAULT 10000,
    last_short_id bigint NOT NULL DEFAULT 0,
    UNIQUE (org_id, slug)
  );
  CREATE TABLE project_keys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    label text NOT NULL,
    public_key text NOT NULL UNIQUE,
    secret_key text NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    rate_limit_count integer,
    rate_limit_window_seconds integer,
    created_at bigint NOT NULL
  );
  CREATE INDEX project_keys_project ON project_keys (project_id);
  CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name text NOT NULL,
    password_hash text,
    created_at bigint NOT NULL
  );
  CREATE TABLE api_tokens (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('user', 'org')),
    org_id bigint REFERENCES orgs(id) ON DELETE CASCADE,
    user_id bigint REFERENCES users(id) ON DELETE CASCADE,
    name text NOT NULL,
    scopes text[] NOT NULL,
    token_hash text NOT NULL UNIQUE,
    token_prefix text NOT NULL,
    created_at bigint NOT NULL,
    last_used_at bigint,
    revoked_at bigint
  );
  CREATE TABLE issues (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    short_id_number bigint NOT NULL,
    title text NOT NULL,
    culprit text NOT NULL,
    type text NOT NULL,
    metadata jsonb NOT NULL,
    level text NOT NULL,
    status text NOT NULL DEFAULT 'unresolved',
    substatus text,
    first_seen bigint NOT NULL,
    last_seen bigint NOT NULL,
    times_seen bigint NOT NULL DEFAULT 0,
    user_count bigint NOT NULL DEFAULT 0,
    first_release text,
    last_release text,
    grouping_version text NOT NULL,
    resolved_at bigint,
    UNIQUE (project_id, short_id_number)
  );
  CREATE INDEX issues_project_status_last_seen ON issues (project_id, status, last_seen);
  CREATE INDEX issues_project_first_seen ON issues (project_id, first_seen);
  CREATE TABLE issue_hashes (
    project_id bigint NOT NULL,
    hash text COLLATE "C" NOT NULL,
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, hash)
  );
  CREATE INDEX issue_hashes_issue ON issue_hashes (issue_id);
  CREATE TABLE events (
    project_id bigint NOT NULL,
    event_id text COLLATE "C" NOT NULL,
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    timestamp bigint NOT NULL,
    received_at bigint NOT NULL,
    level text NOT NULL,
    release text,
    environment text NOT NULL,
    user_key text,
    payload bytea NOT NULL,
    payload_codec text NOT NULL,
    size integer NOT NULL,
    PRIMARY KEY (project_id, event_id)
  );
  -- Payloads arrive compressed; EXTERNAL stops TOAST from trying to compress them again.
  ALTER TABLE events ALTER COLUMN payload SET STORAGE EXTERNAL;
  CREATE INDEX events_issue_timestamp ON events (issue_id, timestamp DESC, event_id DESC);
  CREATE INDEX events_project_timestamp ON events (project_id, timestamp);
  CREATE TABLE issue_buckets_minute (
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    start bigint NOT NULL,
    project_id bigint NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (issue_id, start)
  );
  CREATE INDEX issue_buckets_minute_start ON issue_buckets_minute (start);
  CREATE TABLE issue_buckets_hour (
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    start bigint NOT NULL,
    project_id bigint NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (issue_id, start)
  );
  CREATE TABLE issue_tag_values (
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    key text NOT NULL,
    value text NOT NULL,
    count bigint NOT NULL,
    first_seen bigint NOT NULL,
    last_seen bigint NOT NULL,
    PRIMARY KEY (issue_id, key, value)
  );
  CREATE TABLE issue_users (
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    user_key text NOT NULL,
    first_seen bigint NOT NULL,
    PRIMARY KEY (issue_id, user_key)
  );
  CREATE TABLE releases (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    version text NOT NULL,
    first_seen bigint NOT NULL,
    last_seen bigint NOT NULL,
    UNIQUE (org_id, version)
  );
  CREATE TABLE release_projects (
    release_id bigint NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (release_id, project_id)
  );
  CREATE INDEX release_projects_project ON release_projects (project_id);
  CREATE TABLE environments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name text NOT NULL,
    first_seen bigint NOT NULL,
    UNIQUE (org_id, name)
  );
  CREATE TABLE environment_projects (
    environment_id bigint NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (environment_id, project_id)
  );
  CREATE INDEX environment_projects_project ON environment_projects (project_id);
  CREATE TABLE issue_activities (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    issue_id bigint NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    type text NOT NULL,
    data jsonb NOT NULL,
    actor text NOT NULL,
    created_at bigint NOT NULL
  );
  CREATE INDEX issue_activities_issue ON issue_activities (issue_id, created_at);
  CREATE TABLE ingest_outcomes (
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    item_type text NOT NULL,
    outcome text NOT NULL,
    day bigint NOT NULL,
    count bigint NOT NULL,
    PRIMARY KEY (project_id, item_type, outcome, day)
  );
  `,
  MIGRATION_0002_ACCOUNTS,
  MIGRATION_0003_RELEASES,
  MIGRATION_0004_ISSUE_WORKFLOW,
  MIGRATION_0005_EVENT_QUERIES,
  MIGRATION_0006_AUDIT_LOG,
  MIGRATION_0007_INCIDENTS,
  MIGRATION_0008_POSTMORTEMS,
  MIGRATION_0009_ALERTS,
  MIGRATION_0010_RUNBOOKS,
  MIGRATION_0011_NOTIFICATIONS,
  MIGRATION_0012_DEFERRED_COUNTERS,
  MIGRATION_0013_UNINDEXED_DEFERRED_BATCHES,
  MIGRATION_0014_STATUS_UPDATE_TARGETS,
  MIGRATION_0015_IDS_NEVER_REUSED,
  MIGRATION_0016_ISSUE_PLATFORM,
  MIGRATION_0017_ISSUE_CREATED_AT,
  MIGRATION_0018_ESCALATION_SEVERITY,
  MIGRATION_0019_EVENT_USER_FIELDS,
  MIGRATION_0020_ALERT_RULE_ENABLED_AT,
  MIGRATION_0021_USER_IDENTITIES,
];
