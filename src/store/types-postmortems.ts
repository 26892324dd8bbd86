/** Post-mortems, action items and runbooks (issue 5). Placeholder until they land. */
// biome-ignore lint/complexity/noBannedTypes: filled in by the post-mortem work
export type PostmortemsStore = {};
