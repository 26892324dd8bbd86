import type { UserIdentityRow } from '../store/types.ts';
import type { PreparedEvent } from './prepare.ts';

/** Past this many identities remembered, the set starts over (each costs ~100 bytes). */
const MAX_REMEMBERED = 50_000;

/**
 * The identities of users seen with more than one (an id and an email, say), for issue search's
 * `user.email:…` (store table `user_identities`). A user comes back in event after event, so the
 * committer remembers what it has written and a returning user costs no write; what a failed
 * transaction did not write is remembered only once one commits.
 */
export class KnownUserIdentities {
  readonly #known = new Set<string>();

  /** The rows of these events not yet known to be stored, each once. */
  unknown(events: PreparedEvent[]): UserIdentityRow[] {
    const rows: UserIdentityRow[] = [];
    const batch = new Set<string>();
    // On the ingest path: a known identity costs one key and two look-ups, no row.
    forEachIdentity(events, (projectId, userKey, field, value) => {
      const key = identityKey(projectId, userKey, field, value);
      if (this.#known.has(key) || batch.has(key)) return;
      batch.add(key);
      rows.push({ projectId, userKey, field, value });
    });
    return rows;
  }

  /** After the rows' transaction committed. */
  remember(rows: UserIdentityRow[]): void {
    if (this.#known.size + rows.length > MAX_REMEMBERED) this.#known.clear();
    for (const row of rows) this.#known.add(identityKey(row.projectId, row.userKey, row.field, row.value));
  }
}

/** Every identity row of the events whose user has several identities. */
export function identityRows(events: PreparedEvent[]): UserIdentityRow[] {
  const rows: UserIdentityRow[] = [];
  forEachIdentity(events, (projectId, userKey, field, value) =>
    rows.push({ projectId, userKey, field, value }),
  );
  return rows;
}

function forEachIdentity(
  events: PreparedEvent[],
  visit: (projectId: number, userKey: string, field: string, value: string) => void,
): void {
  for (const event of events) {
    if (!event.userFields || !event.userKey) continue;
    for (const field in event.userFields)
      visit(event.projectId, event.userKey, field, event.userFields[field]);
  }
}

const identityKey = (projectId: number, userKey: string, field: string, value: string) =>
  `${projectId}\0${field}\0${value}\0${userKey}`;
