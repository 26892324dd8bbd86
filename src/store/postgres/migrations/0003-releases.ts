/** Schema for the releases area of the Web API. A placeholder statement until that area fills it in. */
export const MIGRATION_0003_RELEASES = 'SELECT 1;';
