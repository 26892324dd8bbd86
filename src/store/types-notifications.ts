/** Notifications (placeholder until they land). */
// biome-ignore lint/complexity/noBannedTypes: filled in by the work that owns it
export type NotificationsStore = {};
