/** Schema for the issue-workflow area of the Web API. A placeholder statement until that area fills it in. */
export const MIGRATION_0004_ISSUE_WORKFLOW = 'SELECT 1;';
