/** Targets that receive an incident's status updates and its resolution (its stakeholders). */
export const MIGRATION_0014_STATUS_UPDATE_TARGETS = `
  ALTER TABLE escalation_policies ADD COLUMN update_target_ids TEXT NOT NULL DEFAULT '[]';
`;
