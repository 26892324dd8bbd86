/**
 * Notification targets, the delivery queue (unique per target and dedupe key) with its attempt
 * log, escalation policies per severity and each incident's escalation state.
 */
export const MIGRATION_0011_NOTIFICATIONS = `
  CREATE TABLE notification_targets (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    config TEXT NOT NULL,
    secrets TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (org_id, name)
  );
  CREATE TABLE notification_deliveries (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    target_id INTEGER NOT NULL REFERENCES notification_targets(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    url TEXT,
    data TEXT NOT NULL,
    dedupe_key TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER,
    UNIQUE (target_id, dedupe_key)
  );
  CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_at);
  CREATE INDEX notification_deliveries_org ON notification_deliveries (org_id, id);
  CREATE TABLE notification_attempts (
    id INTEGER PRIMARY KEY,
    delivery_id INTEGER NOT NULL REFERENCES notification_deliveries(id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL,
    ok INTEGER NOT NULL,
    status_code INTEGER,
    detail TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL
  );
  CREATE INDEX notification_attempts_delivery ON notification_attempts (delivery_id, attempt);
  CREATE TABLE escalation_policies (
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    severity TEXT NOT NULL,
    levels TEXT NOT NULL,
    reminder_target_ids TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, severity)
  ) WITHOUT ROWID;
  CREATE TABLE incident_escalations (
    incident_id INTEGER PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    level INTEGER NOT NULL,
    status TEXT NOT NULL,
    level_started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
`;
