/**
 * When the server created an issue (its first event's receive time). `first_seen` is the event's
 * own timestamp, which an SDK's offline cache may put hours before it arrives: new-issue alerts
 * look for issues by this instead. Issues created before it take their first seen.
 */
export const MIGRATION_0017_ISSUE_CREATED_AT = `
  ALTER TABLE issues ADD COLUMN created_at bigint;
  UPDATE issues SET created_at = first_seen;
  CREATE INDEX issues_project_created_at ON issues (project_id, created_at);
`;
