import type { IngestTx, IssueUpdate } from '../types.ts';

/**
 * One multi-row upsert cannot touch the same row twice (ON CONFLICT DO UPDATE raises, UPDATE …
 * FROM applies one match), so rows for the same key are merged in JS first.
 */
type Rows<K extends keyof IngestTx> = Parameters<IngestTx[K]>[0];

function mergeBy<T>(items: T[], key: (item: T) => string, merge: (into: T, next: T) => T): T[] {
  const merged = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const existing = merged.get(k);
    merged.set(k, existing === undefined ? { ...item } : merge(existing, item));
  }
  return [...merged.values()];
}

const HOUR_MS = 3_600_000;

export function mergeBuckets(
  rows: Rows<'addIssueBuckets'>,
  resolution: 'minute' | 'hour',
): Rows<'addIssueBuckets'> {
  const aligned =
    resolution === 'minute'
      ? rows
      : rows.map((row) => ({ ...row, start: Math.floor(row.start / HOUR_MS) * HOUR_MS }));
  return mergeBy(
    aligned,
    (row) => `${row.issueId}:${row.start}`,
    (into, next) => ({ ...into, count: into.count + next.count }),
  );
}

export function mergeTagValues(rows: Rows<'addTagValues'>): Rows<'addTagValues'> {
  return mergeBy(
    rows,
    (row) => JSON.stringify([row.issueId, row.key, row.value]),
    (into, next) => ({
      ...into,
      count: into.count + next.count,
      firstSeen: Math.min(into.firstSeen, next.firstSeen),
      lastSeen: Math.max(into.lastSeen, next.lastSeen),
    }),
  );
}

export function mergeOutcomes(rows: Rows<'addOutcomes'>): Rows<'addOutcomes'> {
  return mergeBy(
    rows,
    (row) => JSON.stringify([row.projectId, row.itemType, row.outcome, row.day]),
    (into, next) => ({ ...into, count: into.count + next.count }),
  );
}

export function mergeIssueUpdates(updates: IssueUpdate[]): IssueUpdate[] {
  return mergeBy(
    updates,
    (update) => String(update.issueId),
    (into, next) => {
      const latest = next.lastSeen >= into.lastSeen ? next : into;
      return {
        ...latest,
        addTimesSeen: into.addTimesSeen + next.addTimesSeen,
        addUserCount: into.addUserCount + next.addUserCount,
        firstSeen: Math.min(into.firstSeen, next.firstSeen),
        lastSeen: Math.max(into.lastSeen, next.lastSeen),
        reopenAs: next.reopenAs !== undefined ? next.reopenAs : into.reopenAs,
      };
    },
  );
}

/** One name's sightings merged: first and last seen, the first receipt (rows without one: seen). */
interface Sighting {
  orgId: number;
  name: string;
  firstSeen: number;
  lastSeen: number;
  receivedAt: number;
  projectIds: Set<number>;
}

/** Per (org, version or name): the earliest and latest sighting and every project it was seen in. */
export function mergeSightings<
  T extends { orgId: number; projectId: number; seenAt: number; receivedAt?: number },
>(rows: T[], name: (row: T) => string): Sighting[] {
  const merged = new Map<string, Sighting>();
  for (const row of rows) {
    const key = JSON.stringify([row.orgId, name(row)]);
    const entry = merged.get(key);
    const receivedAt = row.receivedAt ?? row.seenAt;
    if (entry) {
      entry.firstSeen = Math.min(entry.firstSeen, row.seenAt);
      entry.lastSeen = Math.max(entry.lastSeen, row.seenAt);
      entry.receivedAt = Math.min(entry.receivedAt, receivedAt);
      entry.projectIds.add(row.projectId);
    } else {
      merged.set(key, {
        orgId: row.orgId,
        name: name(row),
        firstSeen: row.seenAt,
        lastSeen: row.seenAt,
        receivedAt,
        projectIds: new Set([row.projectId]),
      });
    }
  }
  return [...merged.values()];
}
