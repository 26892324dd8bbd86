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
