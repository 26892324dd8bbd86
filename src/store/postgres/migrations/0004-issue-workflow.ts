/**
 * Issue workflow: what a status means (ignore conditions, resolution release) as JSON, the
 * assignee, and an index that lets a selective tag search start from the tag side. Notes are
 * 'note' rows in issue_activities, as in Sentry. Teams live in the accounts area; an assignee
 * team that no longer exists reads as unassigned.
 */
export const MIGRATION_0004_ISSUE_WORKFLOW = `
  ALTER TABLE issues
    ADD COLUMN status_details jsonb,
    ADD COLUMN assignee_user_id bigint REFERENCES users(id) ON DELETE SET NULL,
    ADD COLUMN assignee_team_id bigint;
  CREATE INDEX issues_assignee_user ON issues (assignee_user_id) WHERE assignee_user_id IS NOT NULL;
  CREATE INDEX issues_assignee_team ON issues (assignee_team_id) WHERE assignee_team_id IS NOT NULL;
  CREATE INDEX issue_tag_values_key_value ON issue_tag_values (key, value, issue_id);
  CREATE INDEX issue_activities_type ON issue_activities (issue_id, type, created_at);
`;
