/** Schema for the event-queries area of the Web API. A placeholder statement until that area fills it in. */
export const MIGRATION_0005_EVENT_QUERIES = 'SELECT 1;';
