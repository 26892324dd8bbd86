import type { Features } from './blast-radius-features.ts';

/**
 * The blast radius and what `001_…` (production-incident, phase 1) says to do about it:
 *
 * | users  | features | class                       | recommendation                     |
 * |--------|----------|-----------------------------|------------------------------------|
 * | one    | one      | single_user_single_feature  | investigate                        |
 * | one    | several  | single_user_many_features   | investigate (not in the table: one |
 * |        |          |                             | user is a limited blast radius)    |
 * | many   | one      | many_users_one_feature      | investigate_and_consider_rollback  |
 * | many   | several  | many_users_many_features    | rollback_first                     |
 * | no recent events  | none                        | investigate                        |
 *
 * "Many users" is two or more distinct users. Events that carry no user identity at all
 * (users = 0) are treated as many users: an error nobody can be tied to is usually hitting
 * everyone, and under-calling the radius is the costlier mistake.
 */
export type BlastClass =
  | 'none'
  | 'single_user_single_feature'
  | 'single_user_many_features'
  | 'many_users_one_feature'
  | 'many_users_many_features';

export type Recommendation = 'investigate' | 'investigate_and_consider_rollback' | 'rollback_first';

export interface BlastRadius {
  class: BlastClass;
  recommendation: Recommendation;
  reason: string;
  /** Recent events of the linked issues (from the minute counters). */
  events: number;
  /** Distinct users in the recent events. */
  users: number;
  usersKnown: boolean;
  features: Features;
}

export const CLASS_PHRASES: Record<BlastClass, string> = {
  none: 'no recent events',
  single_user_single_feature: 'single user, single feature',
  single_user_many_features: 'single user, many features',
  many_users_one_feature: 'many users, one feature',
  many_users_many_features: 'many users, many features',
};

export const RECOMMENDATION_PHRASES: Record<Recommendation, string> = {
  investigate: 'investigate',
  investigate_and_consider_rollback: 'investigate and consider rollback',
  rollback_first: 'roll back first, debug after',
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Up to three names, then how many more. */
export function listNames(features: Features, max = 3): string {
  const names = features.names.map((f) => f.name);
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} +${names.length - max} more` : shown;
}

export function classifyBlastRadius(input: {
  events: number;
  users: number;
  features: Features;
}): BlastRadius {
  const { events, users, features } = input;
  const base = { events, users, usersKnown: users > 0, features };
  if (events === 0) {
    return {
      ...base,
      class: 'none',
      recommendation: 'investigate',
      reason: 'no events from the linked issues in the last 75 minutes: nothing is bleeding now; investigate',
    };
  }
  const manyUsers = users !== 1;
  const manyFeatures = features.names.length > 1;
  const who = users === 0 ? 'users unknown (no user on the events; assumed many)' : plural(users, 'user');
  const what = `${plural(features.names.length, features.dimension === 'project' ? 'project' : 'feature')} (${listNames(features)})`;
  const numbers = `${who}, ${what}, ${plural(events, 'event')} in the last 75 minutes`;
  if (!manyUsers && !manyFeatures) {
    return {
      ...base,
      class: 'single_user_single_feature',
      recommendation: 'investigate',
      reason: `${numbers}: limited blast radius; find the root cause (phase 2)`,
    };
  }
  if (!manyUsers) {
    return {
      ...base,
      class: 'single_user_many_features',
      recommendation: 'investigate',
      reason: `${numbers}: the playbook's table has no row for one user across several features; one user is a limited blast radius, so investigate (phase 2)`,
    };
  }
  if (!manyFeatures) {
    return {
      ...base,
      class: 'many_users_one_feature',
      recommendation: 'investigate_and_consider_rollback',
      reason: `${numbers}: investigate (phase 2) and in parallel consider rolling back (phase 3)`,
    };
  }
  return {
    ...base,
    class: 'many_users_many_features',
    recommendation: 'rollback_first',
    reason: `${numbers}: high blast radius; roll back first (phase 3), debug after`,
  };
}
