/**
 * SQLite's version 15 rebuilds tables so deleted ids are never given again; PostgreSQL's identity
 * columns never reuse one. Nothing to do here: the version keeps both backends' numbers meaning
 * the same schema.
 */
export const MIGRATION_0015_IDS_NEVER_REUSED = `SELECT 1;`;
