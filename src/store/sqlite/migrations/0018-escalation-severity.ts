/**
 * The severity whose policy an incident's escalation follows. When an unacknowledged incident's
 * severity is raised, its escalation starts again at the new severity's first level; escalations
 * started before this column know no severity (NULL) and carry on as they were.
 */
export const MIGRATION_0018_ESCALATION_SEVERITY = `
  ALTER TABLE incident_escalations ADD COLUMN severity TEXT;
`;
