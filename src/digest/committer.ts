import { AppError } from '../app-error.ts';
import type { SessionBatch } from '../releases/health-parse.ts';
import { ensureSessionReleases } from '../releases/health-record.ts';
import type { IngestOutcome, Store } from '../store/types.ts';
import { type CounterPlan, commitBatch } from './commit.ts';
import { CounterAggregate } from './counters.ts';
import type { PreparedEvent } from './prepare.ts';

/** Bounds the memory of a deferral window: past this many rows it is written at once. */
const MAX_DEFERRED_ROWS = 50_000;

interface Waiter {
  events: PreparedEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface CommitterOptions {
  batchSize: number;
  batchDelayMs: number;
  maxPendingEvents: number;
  /**
   * Under load, tag-value and bucket counts are gathered for this long and written once
   * (docs/decisions/0009-deferred-counters.md); 0 writes them with every batch.
   */
  counterWindowMs: number;
  onError: (error: unknown, events: number) => void;
}

/**
 * Group commit: requests hand their prepared events here and wait; one transaction commits
 * everything that queued up meanwhile, then every waiter is answered. A request is acknowledged
 * only after its events are committed. When the queue is full, submit() refuses with 503 so
 * memory stays bounded instead of buffering without limit.
 */
export class GroupCommitter {
  private queue: Waiter[] = [];
  private pendingEvents = 0;
  private outcomes = new Map<string, IngestOutcome>();
  private sessions: { batch: SessionBatch; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private readonly sessionReleases = new Set<string>();
  /** Batches whose tag-value and bucket counts are committed as deferred, not yet written. */
  private deferred: { ids: number[]; counters: CounterAggregate; since: number } | null = null;
  /** Someone waits for the deferred counts (an API request, drain): write them now. */
  private countersWanted = false;
  private flushing: Promise<void> | null = null;
  private scheduled = false;
  private closed = false;
  private readonly store: Store;
  private readonly options: CommitterOptions;

  constructor(store: Store, options: CommitterOptions) {
    this.store = store;
    this.options = options;
  }

  get pending(): number {
    return this.pendingEvents;
  }

  submit(events: PreparedEvent[]): Promise<void> {
    if (this.closed)
      return Promise.reject(new AppError('UNAVAILABLE', 'server is shutting down', { retryAfter: 5 }));
    if (this.pendingEvents + events.length > this.options.maxPendingEvents) {
      return Promise.reject(new AppError('UNAVAILABLE', 'ingest is behind; retry later', { retryAfter: 1 }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ events, resolve, reject });
      this.pendingEvents += events.length;
      this.schedule();
    });
  }

  /**
   * Release-health sessions, written after the next batch of events in their own transaction;
   * resolves once they are committed (an acknowledged session is counted).
   */
  submitSessions(batch: SessionBatch): Promise<void> {
    if (this.closed)
      return Promise.reject(new AppError('UNAVAILABLE', 'server is shutting down', { retryAfter: 5 }));
    if (this.sessions.length >= this.options.maxPendingEvents) {
      return Promise.reject(new AppError('UNAVAILABLE', 'ingest is behind; retry later', { retryAfter: 1 }));
    }
    return new Promise((resolve, reject) => {
      this.sessions.push({ batch, resolve, reject });
      this.schedule();
    });
  }

  /** Counts items taken but not processed; written with the next batch (best effort, no ack). */
  countOutcome(outcome: Omit<IngestOutcome, 'count'>, count: number): void {
    const key = `${outcome.projectId}\0${outcome.itemType}\0${outcome.outcome}\0${outcome.day}`;
    const row = this.outcomes.get(key);
    if (row) row.count += count;
    else this.outcomes.set(key, { ...outcome, count });
    this.schedule();
  }

  /** Stops taking events and waits until everything queued is committed. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  /** Waits until everything queued so far, outcome and deferred counters included, is committed. */
  async drain(): Promise<void> {
    this.countersWanted = this.deferred !== null;
    while (this.flushing || this.hasWork()) {
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  /**
   * Writes the deferred tag-value and bucket counts now, if any: the Web API calls this before
   * answering, so what it reports includes every acknowledged event.
   */
  async writeDeferredCounters(): Promise<void> {
    while (this.deferred !== null) {
      this.countersWanted = true;
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  private hasWork(): boolean {
    return (
      this.queue.length > 0 ||
      this.outcomes.size > 0 ||
      this.sessions.length > 0 ||
      (this.deferred !== null && this.countersDue(this.deferred))
    );
  }

  private countersDue(open: NonNullable<GroupCommitter['deferred']>): boolean {
    return (
      this.countersWanted ||
      this.closed ||
      Date.now() - open.since >= this.options.counterWindowMs ||
      open.counters.rows >= MAX_DEFERRED_ROWS
    );
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      void this.flush();
    };
    // setImmediate runs after the poll phase, so every request already readable joins the batch.
    if (this.options.batchDelayMs > 0) setTimeout(run, this.options.batchDelayMs);
    else setImmediate(run);
  }

  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    this.flushing = this.flushOnce()
      .then(() => this.flushSessions())
      .finally(() => {
        this.flushing = null;
        if (this.hasWork()) this.schedule();
      });
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const batch: Waiter[] = [];
    let size = 0;
    while (
      this.queue.length > 0 &&
      (batch.length === 0 || size + this.queue[0].events.length <= this.options.batchSize)
    ) {
      const waiter = this.queue.shift()!;
      batch.push(waiter);
      size += waiter.events.length;
    }
    const outcomes = [...this.outcomes.values()];
    this.outcomes.clear();
    const plan = this.counterPlan();
    try {
      const committed = await commitBatch(
        this.store,
        batch.flatMap((w) => w.events),
        outcomes,
        plan,
      );
      if (plan.due) {
        this.deferred = null;
        this.countersWanted = false;
      }
      if (committed.deferred) this.keepDeferred(committed.deferred);
      this.settle(batch, null);
    } catch (error) {
      // The deferred batches stay recorded in the database: recovery counts them
      // (recoverDeferredCounters), so dropping them here loses nothing and cannot loop.
      if (plan.due) {
        this.deferred = null;
        this.countersWanted = false;
        this.options.onError(error, 0);
      }
      // The counters were not written with the failed batch: write them on their own.
      if (outcomes.length > 0)
        await commitBatch(this.store, [], outcomes).catch((e) => this.options.onError(e, 0));
      if (batch.length === 0) {
        if (!plan.due) this.options.onError(error, 0);
        return;
      }
      if (batch.length === 1 && !plan.due) {
        this.options.onError(error, size);
        this.settle(batch, error);
        return;
      }
      // One bad request must not fail the others, nor a window that could not be written (an
      // issue deleted meanwhile): retry each request on its own, with its counts.
      for (const waiter of batch) {
        try {
          await commitBatch(this.store, waiter.events, []);
          this.settle([waiter], null);
        } catch (single) {
          this.options.onError(single, waiter.events.length);
          this.settle([waiter], single);
        }
      }
    }
  }

  /**
   * A batch defers its tag-value and bucket counts into the open window; the batch that finds
   * the window due (its time is over, it holds too many rows, or someone waits for it) writes
   * the window and its own counts. A timer writes a window that no batch comes to close.
   */
  private counterPlan(): CounterPlan {
    const open = this.deferred;
    if (open !== null && this.countersDue(open)) {
      return { defer: false, due: { ids: open.ids, counters: open.counters } };
    }
    return { defer: this.options.counterWindowMs > 0 && !this.closed };
  }

  private keepDeferred(batch: { id: number; counters: CounterAggregate }): void {
    if (this.deferred === null) {
      this.deferred = { ids: [], counters: new CounterAggregate(), since: Date.now() };
      setTimeout(() => this.schedule(), this.options.counterWindowMs).unref();
    }
    this.deferred.ids.push(batch.id);
    this.deferred.counters.merge(batch.counters);
  }

  private async flushSessions(): Promise<void> {
    const waiting = this.sessions.splice(0);
    if (waiting.length === 0) return;
    const write = async (batches: SessionBatch[]) => {
      const seenAt = Math.max(
        0,
        ...batches.flatMap((b) => [...b.updates, ...b.aggregates].map((r) => r.seenAt)),
      );
      await ensureSessionReleases(this.store, batches, this.sessionReleases, seenAt);
      await this.store.releaseHealth.record({
        updates: batches.flatMap((b) => b.updates),
        aggregates: batches.flatMap((b) => b.aggregates),
      });
    };
    try {
      await write(waiting.map((w) => w.batch));
      for (const w of waiting) w.resolve();
    } catch {
      // As with events: one bad request must not fail the others.
      for (const w of waiting) {
        await write([w.batch]).then(w.resolve, (error) => {
          this.options.onError(error, 0);
          w.reject(error);
        });
      }
    }
  }

  private settle(batch: Waiter[], error: unknown): void {
    for (const waiter of batch) {
      this.pendingEvents -= waiter.events.length;
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
}
