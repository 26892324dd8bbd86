/** Alert rules, firings, notifications, escalation and release health (issue 6). Placeholder until they land. */
// biome-ignore lint/complexity/noBannedTypes: filled in by the alerting work
export type AlertsStore = {};
