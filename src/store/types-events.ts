/** Event queries beyond ingest: lists, Discover. Filled in by the Web API work. */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the Web API adds its methods.
export type EventQueryStore = {};
