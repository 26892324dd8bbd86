import { AppError } from '../app-error.ts';
import { yieldToEventLoop } from '../background/yield.ts';
import type { SessionBatch } from '../releases/health-parse.ts';
import { ensureSessionReleases } from '../releases/health-record.ts';
import type { IngestOutcome, Store } from '../store/types.ts';
import { type CounterPlan, commitBatch, countDeferredPart, type DeferredPart } from './commit.ts';
import { COUNTER_PARTITIONS, CounterAggregate, recountDeferred } from './counters.ts';
import type { PreparedEvent } from './prepare.ts';
import { KnownUserIdentities } from './user-identities.ts';

/** Bounds the memory of a deferral window: past this many rows it is written at once. */
const MAX_WINDOW_ROWS = 50_000 / COUNTER_PARTITIONS;

/** Deferred batches of one counter partition, not yet written, and when they fall due. */
interface CounterWindow {
  partition: number;
  ids: number[];
  counters: CounterAggregate;
  dueAt: number;
}

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
  /** User identities written (issue search's user.email:…), so a returning user costs no write. */
  private readonly identities = new KnownUserIdentities();
  /** Open windows by counter partition: batches committed with their counts deferred. */
  private readonly windows = new Map<number, CounterWindow>();
  /** Someone waits for the deferred counts (an API request, drain): write them now. */
  private countersWanted = false;
  /** A background pass waits for this window: the next transaction writes it, due or not. */
  private forcedWindow: CounterWindow | null = null;
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
    this.countersWanted = this.windows.size > 0;
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
    while (this.windows.size > 0) {
      this.countersWanted = true;
      if (this.flushing) await this.flushing;
      else await this.flush();
    }
  }

  /**
   * Writes the windows open now, one per transaction, letting requests in between: for
   * background passes (detectors, incidents), which need the counts of every event acknowledged
   * before they started but should not stall ingest with one large write.
   */
  async writeOpenWindowsGently(): Promise<void> {
    const open = new Set(this.windows.values());
    for (;;) {
      if (this.flushing) {
        await this.flushing;
        continue;
      }
      const next = [...this.windows.values()].find((window) => open.has(window));
      if (!next) return;
      this.forcedWindow = next;
      await this.flush();
      await yieldToEventLoop();
    }
  }

  private hasWork(): boolean {
    return (
      this.queue.length > 0 ||
      this.outcomes.size > 0 ||
      this.sessions.length > 0 ||
      [...this.windows.values()].some((window) => this.countersDue(window))
    );
  }

  private countersDue(window: CounterWindow): boolean {
    return (
      this.countersWanted ||
      this.closed ||
      Date.now() >= window.dueAt ||
      window.counters.rows >= MAX_WINDOW_ROWS
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
        this.identities,
      );
      this.keepDeferred(committed.deferred);
      this.settle(batch, null);
    } catch (error) {
      // The due windows' batches stay recorded in the database. Their aggregated counts could
      // not be written (an issue deleted meanwhile, say): count them from their stored events now,
      // on their own. Should that fail too, recovery counts them later (recoverDeferredCounters).
      if (plan.due) {
        this.options.onError(error, 0);
        for (const window of plan.due)
          await recountDeferred(this.store, window.ids).catch((e) => this.options.onError(e, 0));
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
          await commitBatch(this.store, waiter.events, [], undefined, this.identities);
          this.settle([waiter], null);
        } catch (single) {
          this.options.onError(single, waiter.events.length);
          this.settle([waiter], single);
        }
      }
    }
  }

  /**
   * A batch defers its tag-value and bucket counts into the open window of each counter
   * partition it touched; the batch that finds a window due (its time is over, it holds too many
   * rows, or someone waits for the counts) writes it. When someone waits, the batch writes its
   * own counts too. Timers write windows that no batch comes to close. Due windows leave the
   * map here: if their transaction fails, recovery counts their batches later.
   */
  private counterPlan(): CounterPlan {
    const wanted = this.countersWanted || this.closed;
    const forced = this.forcedWindow;
    this.countersWanted = false;
    this.forcedWindow = null;
    const due: CounterWindow[] = [];
    for (const [partition, window] of this.windows) {
      if (!wanted && window !== forced && !this.countersDue(window)) continue;
      due.push(window);
      this.windows.delete(partition);
    }
    const defer = this.options.counterWindowMs > 0 && !wanted;
    return due.length > 0 ? { defer, due } : { defer };
  }

  private keepDeferred(parts: DeferredPart[]): void {
    for (const part of parts) {
      let window = this.windows.get(part.partition);
      if (!window) {
        const { partition } = part;
        window = { partition, ids: [], counters: new CounterAggregate(), dueAt: this.dueAt(partition) };
        this.windows.set(part.partition, window);
        this.armTimer(window);
      }
      window.ids.push(part.id);
      countDeferredPart(part, window.counters);
    }
  }

  /** Timers may fire a little early by the wall clock: then the window waits for another. */
  private armTimer(window: CounterWindow): void {
    const wait = Math.max(1, window.dueAt - Date.now());
    setTimeout(() => {
      if (this.windows.get(window.partition) !== window) return;
      if (Date.now() < window.dueAt) this.armTimer(window);
      else this.schedule();
    }, wait).unref();
  }

  /**
   * Partition p's windows end when the clock passes p/COUNTER_PARTITIONS of the way through a
   * window period, so under steady load the partitions are written one after another, evenly
   * spread, rather than all in one transaction.
   */
  private dueAt(partition: number): number {
    const period = this.options.counterWindowMs;
    const now = Date.now();
    const phase = (partition * period) / COUNTER_PARTITIONS;
    return now + period - ((((now - phase) % period) + period) % period);
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
