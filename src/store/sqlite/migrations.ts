import type { DatabaseSync } from 'node:sqlite';
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
import { migration0015IdsNeverReused } from './migrations/0015-ids-never-reused.ts';
import { MIGRATION_0016_ISSUE_PLATFORM } from './migrations/0016-issue-platform.ts';
import { MIGRATION_0017_ISSUE_CREATED_AT } from './migrations/0017-issue-created-at.ts';
import { MIGRATION_0018_ESCALATION_SEVERITY } from './migrations/0018-escalation-severity.ts';
import { MIGRATION_0019_EVENT_USER_FIELDS } from './migrations/0019-event-user-fields.ts';
import { MIGRATION_0020_ALERT_RULE_ENABLED_AT } from './migrations/0020-alert-rule-enabled-at.ts';
import { MIGRATION_0021_USER_IDENTITIES } from './migrations/0021-user-identities.ts';

/**
 * Numbered SQLite migrations: index + 1 is the version recorded in schema_migrations. Append only;
 * never edit a migration that has shipped. Versions 2–5 are one per Web API area (migrations/). Times are epoch ms (INTEGER), JSON is TEXT.
 */
/**
 * A migration SQL alone cannot write: a function, run in the same transaction as any other but
 * with foreign keys off (they cannot be switched inside a transaction) and checked before commit.
 */
export type SqliteMigrationStep = (db: DatabaseSync) => void;

export const SQLITE_MIGRATIONS: readonly (string | SqliteMigrationStep)[] = [
  `
  CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    platform TEXT,
    created_at INTEGER NOT NULL,
    event_max_age_days INTEGER NOT NULL DEFAULT 90,
    events_per_issue INTEGER NOT NULL DEFAULT 10000,
    last_short_id INTEGER NOT NULL DEFAULT 0,
    UNIQUE (org_id, slug)
  );
  CREATE TABLE project_keys (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    public_key TEXT NOT NULL UNIQUE,
    secret_key TEXT NOT NULL,
    is_active INTEGER NOT NULL DEFAULT 1,
    rate_limit_count INTEGER,
    rate_limit_window_seconds INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX project_keys_project ON project_keys (project_id);
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('user', 'org')),
    org_id INTEGER REFERENCES orgs(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
  );
  CREATE TABLE issues (
    id INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    short_id_number INTEGER NOT NULL,
    title TEXT NOT NULL,
    culprit TEXT NOT NULL,
    type TEXT NOT NULL,
    metadata TEXT NOT NULL,
    level TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'unresolved',
    substatus TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    times_seen INTEGER NOT NULL DEFAULT 0,
    user_count INTEGER NOT NULL DEFAULT 0,
    first_release TEXT,
    last_release TEXT,
    grouping_version TEXT NOT NULL,
    resolved_at INTEGER,
    UNIQUE (project_id, short_id_number)
  );
  CREATE INDEX issues_project_status_last_seen ON issues (project_id, status, last_seen);
  CREATE INDEX issues_project_first_seen ON issues (project_id, first_seen);
  CREATE TABLE issue_hashes (
    project_id INTEGER NOT NULL,
    hash TEXT NOT NULL,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    PRIMARY KEY (project_id, hash)
  ) WITHOUT ROWID;
  CREATE INDEX issue_hashes_issue ON issue_hashes (issue_id);
  CREATE TABLE events (
    project_id INTEGER NOT NULL,
    event_id TEXT NOT NULL,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    timestamp INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    level TEXT NOT NULL,
    release TEXT,
    environment TEXT NOT NULL,
    user_key TEXT,
    payload BLOB NOT NULL,
    payload_codec TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (project_id, event_id)
  );
  CREATE INDEX events_issue_timestamp ON events (issue_id, timestamp DESC, event_id DESC);
  CREATE INDEX events_project_timestamp ON events (project_id, timestamp);
  CREATE TABLE issue_buckets_minute (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (issue_id, start)
  ) WITHOUT ROWID;
  CREATE INDEX issue_buckets_minute_start ON issue_buckets_minute (start);
  CREATE TABLE issue_buckets_hour (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    project_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (issue_id, start)
  ) WITHOUT ROWID;
  CREATE TABLE issue_tag_values (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (issue_id, key, value)
  ) WITHOUT ROWID;
  CREATE TABLE issue_users (
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    user_key TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    PRIMARY KEY (issue_id, user_key)
  ) WITHOUT ROWID;
  CREATE TABLE releases (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    UNIQUE (org_id, version)
  );
  CREATE TABLE release_projects (
    release_id INTEGER NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (release_id, project_id)
  ) WITHOUT ROWID;
  CREATE INDEX release_projects_project ON release_projects (project_id);
  CREATE TABLE environments (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    UNIQUE (org_id, name)
  );
  CREATE TABLE environment_projects (
    environment_id INTEGER NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    PRIMARY KEY (environment_id, project_id)
  ) WITHOUT ROWID;
  CREATE INDEX environment_projects_project ON environment_projects (project_id);
  CREATE TABLE issue_activities (
    id INTEGER PRIMARY KEY,
    issue_id INTEGER NOT NULL REFERENCES issues(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX issue_activities_issue ON issue_activities (issue_id, created_at);
  CREATE TABLE ingest_outcomes (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    item_type TEXT NOT NULL,
    outcome TEXT NOT NULL,
    day INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (project_id, item_type, outcome, day)
  ) WITHOUT ROWID;
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
  migration0015IdsNeverReused,
  MIGRATION_0016_ISSUE_PLATFORM,
  MIGRATION_0017_ISSUE_CREATED_AT,
  MIGRATION_0018_ESCALATION_SEVERITY,
  MIGRATION_0019_EVENT_USER_FIELDS,
  MIGRATION_0020_ALERT_RULE_ENABLED_AT,
  MIGRATION_0021_USER_IDENTITIES,
];
