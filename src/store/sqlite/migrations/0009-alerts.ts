/**
 * Alert rules, their firings (claimed once through a unique key) and per-subject cooldowns, the
 * detectors' scan positions, and release health: session counts per release, environment and
 * hour, distinct users per release, and the sessions seen unhealthy (so a session counts once,
 * under its worst outcome). Two indexes serve the detectors' scans of ingest data.
 */
export const MIGRATION_0009_ALERTS = `
  CREATE TABLE alert_rules (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    detector TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    conditions TEXT NOT NULL,
    filters TEXT NOT NULL,
    actions TEXT NOT NULL,
    cooldown_minutes INTEGER NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX alert_rules_project ON alert_rules (project_id, id);
  CREATE TABLE alert_project_defaults (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE
  );
  CREATE TABLE alert_firings (
    id INTEGER PRIMARY KEY,
    rule_id INTEGER NOT NULL,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    detector TEXT NOT NULL,
    subject TEXT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    issue_id INTEGER REFERENCES issues(id) ON DELETE SET NULL,
    fired_at INTEGER NOT NULL,
    summary TEXT NOT NULL,
    data TEXT NOT NULL,
    status TEXT NOT NULL,
    results TEXT NOT NULL
  );
  CREATE INDEX alert_firings_org ON alert_firings (org_id, fired_at);
  CREATE INDEX alert_firings_rule ON alert_firings (rule_id, fired_at);
  CREATE TABLE alert_cooldowns (
    rule_id INTEGER NOT NULL,
    subject TEXT NOT NULL,
    last_fired_at INTEGER NOT NULL,
    PRIMARY KEY (rule_id, subject)
  ) WITHOUT ROWID;
  CREATE TABLE detector_positions (
    name TEXT PRIMARY KEY,
    position INTEGER NOT NULL
  );
  CREATE TABLE release_health_sessions (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    release TEXT NOT NULL,
    environment TEXT NOT NULL,
    hour INTEGER NOT NULL,
    sessions INTEGER NOT NULL DEFAULT 0,
    crashed INTEGER NOT NULL DEFAULT 0,
    abnormal INTEGER NOT NULL DEFAULT 0,
    unhandled INTEGER NOT NULL DEFAULT 0,
    errored INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, release, environment, hour)
  ) WITHOUT ROWID;
  CREATE TABLE release_health_users (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    release TEXT NOT NULL,
    environment TEXT NOT NULL,
    did TEXT NOT NULL,
    crashed INTEGER NOT NULL DEFAULT 0,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (project_id, release, environment, did)
  ) WITHOUT ROWID;
  CREATE TABLE release_health_unhealthy (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    sid TEXT NOT NULL,
    release TEXT NOT NULL,
    environment TEXT NOT NULL,
    hour INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (project_id, sid)
  ) WITHOUT ROWID;
  CREATE INDEX release_health_unhealthy_seen ON release_health_unhealthy (seen_at);
  CREATE INDEX issue_buckets_hour_project ON issue_buckets_hour (project_id, start);
  CREATE INDEX issue_activities_type_created ON issue_activities (type, created_at);
`;
