/** Issue workflow beyond ingest: updates, assignment, notes, search. Filled in by the Web API work. */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the Web API adds its methods.
export type IssueWorkflowStore = {};
