/** The platform of the event that created an issue (Sentry's issue `platform`); null before. */
export const MIGRATION_0016_ISSUE_PLATFORM = `
  ALTER TABLE issues ADD COLUMN platform TEXT;
`;
