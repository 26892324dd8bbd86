/**
 * Notification targets, the delivery queue (unique per target and dedupe key) with its attempt
 * log, escalation policies per severity and each incident's escalation state.
 */
export const MIGRATION_0011_NOTIFICATIONS = `
  CREATE TABLE notification_targets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    name text NOT NULL,
    kind text NOT NULL,
    config jsonb NOT NULL,
    secrets jsonb NOT NULL,
    enabled boolean NOT NULL DEFAULT true,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    UNIQUE (org_id, name)
  );
  CREATE TABLE notification_deliveries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    target_id bigint NOT NULL REFERENCES notification_targets(id) ON DELETE CASCADE,
    kind text NOT NULL,
    title text NOT NULL,
    text text NOT NULL,
    url text,
    data jsonb NOT NULL,
    dedupe_key text NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint NOT NULL,
    lease_until bigint,
    last_error text,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    sent_at bigint,
    UNIQUE (target_id, dedupe_key)
  );
  CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_at);
  CREATE INDEX notification_deliveries_org ON notification_deliveries (org_id, id);
  CREATE TABLE notification_attempts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id bigint NOT NULL REFERENCES notification_deliveries(id) ON DELETE CASCADE,
    attempt integer NOT NULL,
    ok boolean NOT NULL,
    status_code integer,
    detail text NOT NULL,
    started_at bigint NOT NULL,
    finished_at bigint NOT NULL
  );
  CREATE INDEX notification_attempts_delivery ON notification_attempts (delivery_id, attempt);
  CREATE TABLE escalation_policies (
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    severity text NOT NULL,
    levels jsonb NOT NULL,
    reminder_target_ids jsonb NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (org_id, severity)
  );
  CREATE TABLE incident_escalations (
    incident_id bigint PRIMARY KEY REFERENCES incidents(id) ON DELETE CASCADE,
    org_id bigint NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,
    level integer NOT NULL,
    status text NOT NULL,
    level_started_at bigint NOT NULL,
    updated_at bigint NOT NULL
  );
`;
