/**
 * Alert rules, their firings (claimed once through a unique key) and per-subject cooldowns, the
 * detectors' scan positions, and release health: session counts per release, environment and
 * hour, distinct users per release, and the sessions seen unhealthy (so a session counts once,
 * under its worst outcome). Two indexes serve the detectors' scans of ingest data.
 */
export const MIGRATION_0009_ALERTS = `
  CREATE TABLE alert_rules (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    name text NOT NULL,
    detector text NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    conditions jsonb NOT NULL,
    filters jsonb NOT NULL,
    actions jsonb NOT NULL,
    cooldown_minutes bigint NOT NULL,
    is_default boolean NOT NULL DEFAULT false,
    created_by text NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX alert_rules_project ON alert_rules (project_id, id);
  CREATE TABLE alert_project_defaults (
    project_id bigint PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE
  );
  CREATE TABLE alert_firings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rule_id bigint NOT NULL,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    detector text NOT NULL,
    subject text NOT NULL,
    key text NOT NULL UNIQUE,
    issue_id bigint REFERENCES issues(id) ON DELETE SET NULL,
    fired_at bigint NOT NULL,
    summary text NOT NULL,
    data jsonb NOT NULL,
    status text NOT NULL,
    results jsonb NOT NULL
  );
  CREATE INDEX alert_firings_org ON alert_firings (org_id, fired_at);
  CREATE INDEX alert_firings_rule ON alert_firings (rule_id, fired_at);
  CREATE TABLE alert_cooldowns (
    rule_id bigint NOT NULL,
    subject text NOT NULL,
    last_fired_at bigint NOT NULL,
    PRIMARY KEY (rule_id, subject)
  );
  CREATE TABLE detector_positions (
    name text PRIMARY KEY,
    position bigint NOT NULL
  );
  CREATE TABLE release_health_sessions (
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    release text NOT NULL,
    environment text NOT NULL,
    hour bigint NOT NULL,
    sessions bigint NOT NULL DEFAULT 0,
    crashed bigint NOT NULL DEFAULT 0,
    abnormal bigint NOT NULL DEFAULT 0,
    unhandled bigint NOT NULL DEFAULT 0,
    errored bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (project_id, release, environment, hour)
  );
  CREATE TABLE release_health_users (
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    release text NOT NULL,
    environment text NOT NULL,
    did text NOT NULL,
    crashed bigint NOT NULL DEFAULT 0,
    first_seen bigint NOT NULL,
    last_seen bigint NOT NULL,
    PRIMARY KEY (project_id, release, environment, did)
  );
  CREATE TABLE release_health_unhealthy (
    project_id bigint NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    sid text NOT NULL,
    release text NOT NULL,
    environment text NOT NULL,
    hour bigint NOT NULL,
    outcome text NOT NULL,
    seen_at bigint NOT NULL,
    PRIMARY KEY (project_id, sid)
  );
  CREATE INDEX release_health_unhealthy_seen ON release_health_unhealthy (seen_at);
  CREATE INDEX issue_buckets_hour_project ON issue_buckets_hour (project_id, start);
  CREATE INDEX issue_activities_type_created ON issue_activities (type, created_at);
`;
