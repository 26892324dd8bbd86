/**
 * Every identity of an event's user when it has several (`{"id": …, "email": …}`), so
 * `user.email:…` finds an event whose key is its id. NULL when the key names the only one, and
 * for events stored before: they answer by their key alone, as they did.
 */
export const MIGRATION_0019_EVENT_USER_FIELDS = `
  ALTER TABLE events ADD COLUMN user_fields jsonb;
`;
