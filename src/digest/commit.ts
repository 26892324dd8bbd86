import { StatusRules } from '../issues/ingest-rules.ts';
import type {
  IngestIssue,
  IngestOutcome,
  IngestTx,
  IssueActivity,
  IssueUpdate,
  Store,
  StoredEvent,
  UserIdentityRow,
} from '../store/types.ts';
import { CounterAggregate, counterPartition, writeDeferred } from './counters.ts';
import type { PreparedEvent } from './prepare.ts';
import { identityRows, type KnownUserIdentities } from './user-identities.ts';

const DAY = 86_400_000;

/**
 * What to do with tag-value and bucket counts (docs/decisions/0009-deferred-counters.md): write
 * this batch's now (the default), or defer them; and deferred batches to write in this transaction.
 */
export interface CounterPlan {
  defer: boolean;
  /** Windows to write in this transaction: deferred batch ids and their counts aggregated. */
  due?: { ids: number[]; counters: CounterAggregate }[];
}

/**
 * One deferred batch: a batch's events of one counter partition, recorded under `id`, with their
 * issues' ids at the same indexes. The committer counts them straight into its open window
 * (countDeferredPart), so a batch builds no aggregate of its own only to fold it into another.
 */
export interface DeferredPart {
  partition: number;
  id: number;
  events: PreparedEvent[];
  issueIds: number[];
}

/** Adds a committed deferred part's events to a window's counts. */
export function countDeferredPart(part: DeferredPart, into: CounterAggregate): void {
  for (let i = 0; i < part.events.length; i++) into.add(part.issueIds[i], part.events[i]);
}

export interface CommittedBatch {
  /** This batch's counts, when deferred, one part per counter partition it touched. */
  deferred: DeferredPart[];
}

/**
 * Writes a batch of prepared events in one short transaction: resolves or creates their
 * issues, inserts the events (retransmitted event ids are skipped and not counted), and adds
 * the counters aggregated over the batch so each row is written once per batch. Tag-value and
 * bucket counts are written here too unless the plan defers them; a deferred batch is recorded
 * in the same transaction, so its counts are never lost (src/digest/counters.ts).
 */
export async function commitBatch(
  store: Store,
  events: PreparedEvent[],
  outcomes: IngestOutcome[],
  plan: CounterPlan = { defer: false },
  identities?: KnownUserIdentities,
): Promise<CommittedBatch> {
  let written: UserIdentityRow[] = [];
  const committed = await store.ingestWrite(async (tx) => {
    // First, so every transaction that takes deferred batches (recovery too) locks them before
    // any issue row: the same order everywhere, so PostgreSQL never sees the two deadlock.
    for (const window of plan.due ?? []) await writeDeferred(tx, window.ids, window.counters);
    const unseen = await unseenEvents(tx, events);
    const issueOf = await resolveIssues(tx, unseen);
    const inserted = await tx.insertEvents(unseen.map((e) => toStoredEvent(e, issueOf.get(e)!.id)));
    const fresh = unseen.filter((e) => inserted.has(e.eventId));
    const rules = await loadStatusRules(store, fresh, issueOf);
    await recordSightings(tx, fresh, issueOf, rules);
    written = identities ? identities.unknown(fresh) : identityRows(fresh);
    if (written.length > 0) await tx.addUserIdentities(written);
    await tx.addOutcomes([...outcomes, ...processedOutcomes(fresh)]);
    if (!plan.defer) {
      const counters = new CounterAggregate();
      for (const e of fresh) counters.add(issueOf.get(e)!.id, e);
      await counters.write(tx);
      return { deferred: [] };
    }
    return { deferred: await deferCounts(tx, fresh, issueOf) };
  });
  identities?.remember(written);
  return committed;
}

/** Records the batch's events per counter partition, each part to be counted by its own window. */
async function deferCounts(
  tx: IngestTx,
  events: PreparedEvent[],
  issueOf: Map<PreparedEvent, IngestIssue>,
): Promise<DeferredPart[]> {
  const groups = [...groupBy(events, (e) => counterPartition(issueOf.get(e)!.id))];
  const ids = await tx.deferCounters(
    groups.map(([, group]) => ({
      events: group.map((e) => ({ projectId: e.projectId, eventId: e.eventId })),
      createdAt: Math.max(...group.map((e) => e.receivedAt)),
    })),
  );
  return groups.map(([partition, group], i) => ({
    partition,
    id: ids[i],
    events: group,
    issueIds: group.map((e) => issueOf.get(e)!.id),
  }));
}

/**
 * The batch without events already stored and without repeats of an id earlier in the batch.
 * Sentry keeps the first event of an id; grouping a repeat first would create (or link hashes
 * to) an issue for content that is then never stored: an issue with no events, counted 0.
 */
async function unseenEvents(tx: IngestTx, events: PreparedEvent[]): Promise<PreparedEvent[]> {
  const seen = new Set<string>();
  const firsts = events.filter((e) => {
    const key = `${e.projectId}:${e.eventId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const stored = await tx.storedEvents(firsts.map((e) => ({ projectId: e.projectId, eventId: e.eventId })));
  if (stored.length === 0) return firsts;
  const storedKeys = new Set(stored.map((ref) => `${ref.projectId}:${ref.eventId}`));
  return firsts.filter((e) => !storedKeys.has(`${e.projectId}:${e.eventId}`));
}

/** Maps each event to its issue; creates issues for unknown hashes and links new hashes. */
async function resolveIssues(
  tx: IngestTx,
  events: PreparedEvent[],
): Promise<Map<PreparedEvent, IngestIssue>> {
  const issueOf = new Map<PreparedEvent, IngestIssue>();
  for (const [projectId, projectEvents] of groupBy(events, (e) => e.projectId)) {
    const allHashes = [...new Set(projectEvents.flatMap((e) => e.grouping.hashes))];
    const known = await tx.findIssuesByHashes(projectId, allHashes);
    for (const event of projectEvents) {
      const { hashes } = event.grouping;
      const match = hashes.map((h) => known.get(h)).find((issue) => issue !== undefined);
      const issue = match ?? (await tx.createIssue(newIssueFrom(event)));
      const unlinked = hashes.filter((h) => known.get(h)?.id !== issue.id);
      if (match && unlinked.length > 0) await tx.addIssueHashes(projectId, issue.id, unlinked);
      for (const h of hashes) known.set(h, issue);
      issueOf.set(event, issue);
    }
  }
  return issueOf;
}

function newIssueFrom(event: PreparedEvent) {
  const { grouping } = event;
  return {
    projectId: event.projectId,
    hashes: grouping.hashes,
    title: grouping.title,
    culprit: grouping.culprit,
    type: grouping.type,
    metadata: grouping.metadata,
    level: event.level,
    firstSeen: event.timestamp,
    firstRelease: event.release,
    groupingVersion: event.groupingVersion,
    platform: event.platform,
    createdAt: event.receivedAt,
  };
}

/**
 * Read outside the transaction: status details change only through conditional updates of the
 * issue rows this transaction has locked (PostgreSQL) or under the same write lock (SQLite).
 */
function loadStatusRules(store: Store, events: PreparedEvent[], issueOf: Map<PreparedEvent, IngestIssue>) {
  const orgOf = new Map(events.map((e) => [issueOf.get(e)!.id, e.orgId]));
  const issues = [...new Map(events.map((e) => [issueOf.get(e)!.id, issueOf.get(e)!])).values()];
  const releases = [...new Set(events.flatMap((e) => (e.release ? [e.release] : [])))];
  const now = Math.max(0, ...events.map((e) => e.receivedAt));
  return StatusRules.load(store, (issue) => orgOf.get(issue.id)!, issues, releases, now);
}

/** Issue totals and display fields, users, releases, environments and status changes. */
async function recordSightings(
  tx: IngestTx,
  events: PreparedEvent[],
  issueOf: Map<PreparedEvent, IngestIssue>,
  rules: StatusRules,
) {
  const updates = new Map<number, IssueUpdate>();
  const users: { issueId: number; userKey: string; seenAt: number }[] = [];
  // Per release, the batch's earliest and latest sightings (the store keeps first and last seen).
  const releases = new Map<
    string,
    { orgId: number; projectId: number; version: string; first: number; last: number; receivedAt: number }
  >();
  const environments = new Map<string, { orgId: number; projectId: number; name: string; seenAt: number }>();
  const activities: Omit<IssueActivity, 'id'>[] = [];

  for (const event of events) {
    const issue = issueOf.get(event)!;
    accumulateIssue(updates, issue, event, activities, rules);
    if (event.userKey) users.push({ issueId: issue.id, userKey: event.userKey, seenAt: event.timestamp });
    if (event.release) {
      const key = `${event.projectId}\0${event.release}`;
      const seen = releases.get(key);
      if (seen) {
        seen.first = Math.min(seen.first, event.timestamp);
        seen.last = Math.max(seen.last, event.timestamp);
        seen.receivedAt = Math.min(seen.receivedAt, event.receivedAt);
      } else {
        const { orgId, projectId, release: version, timestamp, receivedAt } = event;
        releases.set(key, { orgId, projectId, version, first: timestamp, last: timestamp, receivedAt });
      }
    }
    const environmentKey = `${event.projectId}\0${event.environment}`;
    const environment = environments.get(environmentKey);
    if (environment) environment.seenAt = Math.min(environment.seenAt, event.timestamp);
    else {
      environments.set(environmentKey, {
        orgId: event.orgId,
        projectId: event.projectId,
        name: event.environment,
        seenAt: event.timestamp,
      });
    }
  }

  const newUsers = users.length > 0 ? await tx.addIssueUsers(users) : new Map<number, number>();
  for (const update of updates.values()) update.addUserCount = newUsers.get(update.issueId) ?? 0;
  escalateOnUsers(updates, events, issueOf, activities, rules);
  if (updates.size > 0) await tx.updateIssues([...updates.values()]);
  if (releases.size > 0) {
    await tx.ensureReleases(
      [...releases.values()].flatMap(({ first, last, ...release }) =>
        first === last
          ? [{ ...release, seenAt: first }]
          : [
              { ...release, seenAt: first },
              { ...release, seenAt: last },
            ],
      ),
    );
  }
  if (environments.size > 0) await tx.ensureEnvironments([...environments.values()]);
  if (activities.length > 0) await tx.addActivities(activities);
}

function accumulateIssue(
  updates: Map<number, IssueUpdate>,
  issue: IngestIssue,
  event: PreparedEvent,
  activities: Omit<IssueActivity, 'id'>[],
  rules: StatusRules,
) {
  const existing = updates.get(issue.id);
  const isLatest = !existing || event.timestamp >= existing.lastSeen;
  const update: IssueUpdate = existing ?? {
    issueId: issue.id,
    addTimesSeen: 0,
    addUserCount: 0,
    firstSeen: event.timestamp,
    lastSeen: event.timestamp,
    title: event.grouping.title,
    culprit: event.grouping.culprit,
    metadata: event.grouping.metadata,
    level: event.level,
    // An event without a release keeps the issue's last one rather than erasing it.
    lastRelease: event.release ?? issue.lastRelease,
    reopenAs: undefined,
  };
  update.addTimesSeen++;
  update.firstSeen = Math.min(update.firstSeen, event.timestamp);
  if (isLatest) {
    update.lastSeen = event.timestamp;
    update.title = event.grouping.title;
    update.culprit = event.grouping.culprit;
    update.metadata = event.grouping.metadata;
    update.level = event.level;
    update.lastRelease = event.release ?? update.lastRelease;
  }
  // A resolved issue that sees a new event regresses (Sentry: "Regressed" activity), unless it
  // was resolved in a release and the event comes from a release that resolution covers.
  if (
    issue.status === 'resolved' &&
    update.reopenAs === undefined &&
    !rules.keepsResolved(issue, event.orgId, event.release)
  ) {
    update.reopenAs = 'regressed';
    activities.push({
      issueId: issue.id,
      type: 'set_regression',
      data: { eventId: event.eventId, version: event.release ?? '' },
      actor: 'system',
      createdAt: event.receivedAt,
    });
  }
  if (issue.status === 'ignored' && update.reopenAs === undefined) {
    const at = { receivedAt: event.receivedAt, batchEvents: update.addTimesSeen, batchUsers: 0 };
    const reason = rules.escalation(issue, at);
    if (reason) escalate(update, issue, event, reason, activities);
  }
  updates.set(issue.id, update);
}

/** An ignored issue whose ignore condition is met comes back as escalating (Sentry's set_escalating). */
function escalate(
  update: IssueUpdate,
  issue: IngestIssue,
  event: PreparedEvent,
  reason: Record<string, unknown>,
  activities: Omit<IssueActivity, 'id'>[],
) {
  update.reopenAs = 'escalating';
  activities.push({
    issueId: issue.id,
    type: 'set_escalating',
    data: { eventId: event.eventId, expiredSnooze: reason },
    actor: 'system',
    createdAt: event.receivedAt,
  });
}

/** User-count ignore conditions are checked once the batch's new users are known. */
function escalateOnUsers(
  updates: Map<number, IssueUpdate>,
  events: PreparedEvent[],
  issueOf: Map<PreparedEvent, IngestIssue>,
  activities: Omit<IssueActivity, 'id'>[],
  rules: StatusRules,
) {
  for (const event of events.toReversed()) {
    const issue = issueOf.get(event)!;
    const update = updates.get(issue.id)!;
    if (issue.status !== 'ignored' || update.reopenAs !== undefined) continue;
    const at = {
      receivedAt: event.receivedAt,
      batchEvents: update.addTimesSeen,
      batchUsers: update.addUserCount,
    };
    const reason = rules.escalation(issue, at);
    if (reason) escalate(update, issue, event, reason, activities);
  }
}

function toStoredEvent(event: PreparedEvent, issueId: number): StoredEvent {
  return {
    eventId: event.eventId,
    projectId: event.projectId,
    issueId,
    timestamp: event.timestamp,
    receivedAt: event.receivedAt,
    level: event.level,
    release: event.release,
    environment: event.environment,
    userKey: event.userKey,
    payload: event.payload,
    payloadCodec: event.payloadCodec,
    size: event.size,
    title: event.grouping.title,
    culprit: event.grouping.culprit,
    eventType: event.grouping.type,
    errorType: event.grouping.type === 'error' ? (event.grouping.metadata.type ?? null) : null,
    errorValue: event.grouping.type === 'error' ? event.grouping.metadata.value || null : null,
    tags: Object.fromEntries(event.tags),
    userFields: event.userFields ?? null,
  };
}

function processedOutcomes(events: PreparedEvent[]): IngestOutcome[] {
  const counts = new Map<string, IngestOutcome>();
  for (const e of events) {
    const day = e.receivedAt - (e.receivedAt % DAY);
    const key = `${e.projectId}:${day}`;
    const row = counts.get(key);
    if (row) row.count++;
    else counts.set(key, { projectId: e.projectId, itemType: 'event', outcome: 'processed', day, count: 1 });
  }
  return [...counts.values()];
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list) list.push(item);
    else out.set(key, [item]);
  }
  return out;
}
