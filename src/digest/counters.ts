import type { CountableEvent, DeferredCounterBatch, IngestTx, TagValueCount } from '../store/types.ts';

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
 * row is written once however many events touched it. Used per batch, across the batches of a
 * deferral window (docs/decisions/0009-deferred-counters.md), and to recount a batch from its
 * stored events.
 */
export class CounterAggregate {
  private readonly buckets = new Map<string, BucketRow>();
  private readonly tags = new Map<string, TagRow>();

  /** Rows it would write: what bounds a deferral window's memory. */
  get rows(): number {
    return this.buckets.size + this.tags.size;
  }

  /** Counts one event of an issue (the id apart: a prepared event learns its issue at commit). */
  add(
    issueId: number,
    event: { projectId: number; timestamp: number; tags: Iterable<[string, string]> },
  ): void {
    const { timestamp } = event;
    const start = timestamp - (timestamp % MINUTE);
    const bucketKey = `${issueId}:${start}`;
    const bucket = this.buckets.get(bucketKey);
    if (bucket) bucket.count++;
    else this.buckets.set(bucketKey, { issueId, projectId: event.projectId, start, count: 1 });
    for (const [key, value] of event.tags) {
      const id = `${issueId}\0${key}\0${value}`;
      const row = this.tags.get(id);
      if (row) {
        row.count++;
        row.firstSeen = Math.min(row.firstSeen, timestamp);
        row.lastSeen = Math.max(row.lastSeen, timestamp);
      } else {
        this.tags.set(id, { issueId, key, value, count: 1, firstSeen: timestamp, lastSeen: timestamp });
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

  /**
   * Folds another aggregate into this one, taking over its rows where this one has none (no
   * copy: a batch's aggregate is folded into its window once and then dropped). `other` must
   * not be used afterwards.
   */
  absorb(other: CounterAggregate): void {
    for (const [key, row] of other.buckets) {
      const mine = this.buckets.get(key);
      if (mine) mine.count += row.count;
      else this.buckets.set(key, row);
    }
    for (const [key, row] of other.tags) {
      const mine = this.tags.get(key);
      if (mine) {
        mine.count += row.count;
        mine.firstSeen = Math.min(mine.firstSeen, row.firstSeen);
        mine.lastSeen = Math.max(mine.lastSeen, row.lastSeen);
      } else this.tags.set(key, row);
    }
    other.buckets.clear();
    other.tags.clear();
  }

  async write(tx: IngestTx): Promise<void> {
    if (this.buckets.size > 0) await tx.addIssueBuckets([...this.buckets.values()]);
    if (this.tags.size > 0) await tx.addTagValues([...this.tags.values()]);
  }
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

/** Counts deferred batches from their stored events, inside `tx`; returns the events counted. */
export async function recountBatches(tx: IngestTx, batches: DeferredCounterBatch[]): Promise<number> {
  const stored = await tx.countableEvents(batches.flatMap((batch) => batch.events));
  const counters = new CounterAggregate();
  counters.addStored(stored);
  await counters.write(tx);
  return stored.length;
}
