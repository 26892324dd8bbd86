/** Schema for the accounts area of the Web API. A placeholder statement until that area fills it in. */
export const MIGRATION_0002_ACCOUNTS = 'SELECT 1;';
