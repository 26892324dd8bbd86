/**
 * Since when an alert rule has been enabled: its creation, or the last time it was enabled
 * again. A rule judges only what happens from then on, so one enabled again is not told of what
 * happened while it was off. Existing rules take their creation time.
 */
export const MIGRATION_0020_ALERT_RULE_ENABLED_AT = `
  ALTER TABLE alert_rules ADD COLUMN enabled_at bigint;
  UPDATE alert_rules SET enabled_at = created_at;
`;
