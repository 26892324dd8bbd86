import type { User } from '../../store/types.ts';
import { isoDate } from './dates.ts';

/** Sentry's user serializer, minus what Firebreak does not have; never the password hash. */
export function serializeUser(user: User) {
  return {
    id: String(user.id),
    name: user.name,
    username: user.email,
    email: user.email,
    isActive: true,
    hasPasswordAuth: user.passwordHash !== null,
    dateJoined: isoDate(user.createdAt),
    avatar: { avatarType: 'letter_avatar', avatarUuid: null },
    emails: [{ id: String(user.id), email: user.email, is_verified: true }],
  };
}
