import type { CountableEvent, DeferredCounterBatch, IngestTx, Store, TagValueCount } from '../store/types.ts';

const MINUTE = 60_000;

/**
 * Deferred counts are kept in this many windows, by issue id, each due at its own moment of the
 * window period: writing a quarter of the rows four times a second, instead of all of them at
 * once, keeps any one transaction (and every request waiting behind it) short.
 */
export const COUNTER_PARTITIONS = 4;

export function counterPartition(issueId: number): number {
  return issueId % COUNTER_PARTITIONS;
}

type BucketRow = Parameters<IngestTx['addIssueBuckets']>[0][number];
type TagRow = { issueId: number } & TagValueCount;

/**
 * Per-issue minute buckets and tag-value counts, aggregated over any number of events so each
 * row is written once however many events touched it. Used per batch when counts are not
 * deferred, for a deferral window, which committed batches count their events into directly
 * (docs/decisions/0009-deferred-counters.md), and to recount batches from their stored events.
 *
 * Rows are found through nested maps (issue → minute, issue → key → value) rather than one map
 * under a joined string key: counting an event into a window allocates nothing for the rows it
 * already has, where a joined key cost a new string per tag per event.
 */
export class CounterAggregate {
  private readonly buckets = new Map<number, Map<number, BucketRow>>();
  private readonly tags = new Map<number, Map<string, Map<string, TagRow>>>();
  #rows = 0;

  /** Rows it would write: what bounds a deferral window's memory. */
  get rows(): number {
    return this.#rows;
  }

  /** Counts one event of an issue (the id apart: a prepared event learns its issue at commit). */
  add(
    issueId: number,
    event: { projectId: number; timestamp: number; tags: Iterable<[string, string]> },
  ): void {
    const { timestamp } = event;
    const start = timestamp - (timestamp % MINUTE);
    const minutes = getOrCreate(this.buckets, issueId);
    const bucket = minutes.get(start);
    if (bucket) bucket.count++;
    else {
      minutes.set(start, { issueId, projectId: event.projectId, start, count: 1 });
      this.#rows++;
    }
    const keys = getOrCreate(this.tags, issueId);
    for (const [key, value] of event.tags) {
      const values = getOrCreate(keys, key);
      const row = values.get(value);
      if (row) {
        row.count++;
        row.firstSeen = Math.min(row.firstSeen, timestamp);
        row.lastSeen = Math.max(row.lastSeen, timestamp);
      } else {
        values.set(value, { issueId, key, value, count: 1, firstSeen: timestamp, lastSeen: timestamp });
        this.#rows++;
      }
    }
  }

  addStored(events: CountableEvent[]): void {
    for (const event of events)
      this.add(event.issueId, {
        projectId: event.projectId,
        timestamp: event.timestamp,
        tags: Object.entries(event.tags),
      });
  }

  async write(tx: IngestTx): Promise<void> {
    const buckets = [...this.buckets.values()].flatMap((minutes) => [...minutes.values()]);
    const tags = [...this.tags.values()].flatMap((keys) =>
      [...keys.values()].flatMap((values) => [...values.values()]),
    );
    if (buckets.length > 0) await tx.addIssueBuckets(buckets);
    if (tags.length > 0) await tx.addTagValues(tags);
  }
}

/** The map under `key` in `outer`, added empty when missing. */
function getOrCreate<K, IK, V>(outer: Map<K, Map<IK, V>>, key: K): Map<IK, V> {
  let map = outer.get(key);
  if (!map) {
    map = new Map();
    outer.set(key, map);
  }
  return map;
}
/**
 * Writes deferred batches' counts inside `tx`, deleting the batches as it counts them. `known`
 * is what the caller aggregated in memory for exactly these batches; when some batch is gone
 * (another node recovered it), the rest are recounted from their stored events instead, so no
 * batch is counted twice or lost.
 */
export async function writeDeferred(tx: IngestTx, ids: number[], known: CounterAggregate): Promise<void> {
  const taken = await tx.takeDeferredCounters({ ids });
  if (taken.length === ids.length) {
    await known.write(tx);
    return;
  }
  await recountBatches(tx, taken);
}

/**
 * Counts these deferred batches (those still recorded) from their stored events, in a
 * transaction of their own; returns the events counted.
 */
export function recountDeferred(store: Store, ids: number[]): Promise<number> {
  return store.ingestWrite(async (tx) => recountBatches(tx, await tx.takeDeferredCounters({ ids })));
}

/** Counts deferred batches from their stored events, inside `tx`; returns the events counted. */
export async function recountBatches(tx: IngestTx, batches: DeferredCounterBatch[]): Promise<number> {
  const stored = await tx.countableEvents(batches.flatMap((batch) => batch.events));
  const counters = new CounterAggregate();
  counters.addStored(stored);
  await counters.write(tx);
  return stored.length;
}
