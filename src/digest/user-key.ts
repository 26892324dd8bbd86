import type { EventUser } from './event.ts';

// Sentry's `sentry:user` tag value: the first identifying field wins, prefixed by its kind.
const USER_KEY_FIELDS = [
  ['id', 'id'],
  ['email', 'email'],
  ['username', 'username'],
  ['ip_address', 'ip'],
] as const;

export function userKeyOf(user: EventUser | undefined): string | null {
  if (!user) return null;
  for (const [field, prefix] of USER_KEY_FIELDS) {
    const value = user[field];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') return `${prefix}:${value}`;
  }
  return null;
}

/**
 * Every identity of the user when it has more than one (`{id, email}`): the key names only the
 * first, so an event with an id and an email could not be found by its email. Stored beside the
 * event for search (`user.email:…`); null when the key already says it all.
 */
export function userFieldsOf(user: EventUser | undefined): Record<string, string> | null {
  if (!user) return null;
  const fields: Record<string, string> = {};
  for (const [field, name] of USER_KEY_FIELDS) {
    const value = user[field];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number')
      fields[name] = String(value);
  }
  return Object.keys(fields).length > 1 ? fields : null;
}
