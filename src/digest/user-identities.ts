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
    for (const row of identityRows(events)) {
      const key = identityKey(row);
      if (this.#known.has(key) || batch.has(key)) continue;
      batch.add(key);
      rows.push(row);
    }
    return rows;
  }

  /** After the rows' transaction committed. */
  remember(rows: UserIdentityRow[]): void {
    if (this.#known.size + rows.length > MAX_REMEMBERED) this.#known.clear();
    for (const row of rows) this.#known.add(identityKey(row));
  }
}

/** Every identity row of the events whose user has several identities. */
export function identityRows(events: PreparedEvent[]): UserIdentityRow[] {
  const rows: UserIdentityRow[] = [];
  for (const event of events) {
    if (!event.userFields || !event.userKey) continue;
    for (const [field, value] of Object.entries(event.userFields))
      rows.push({ projectId: event.projectId, userKey: event.userKey, field, value });
  }
  return rows;
}

const identityKey = (row: UserIdentityRow) => `${row.projectId}\0${row.field}\0${row.value}\0${row.userKey}`;
