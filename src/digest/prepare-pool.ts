import { Worker } from 'node:worker_threads';
import { AppError } from '../app-error.ts';
import type { PrepareJob, PrepareOutcome, PrepareReply } from './prepare-worker.ts';
import { runPrepareJob } from './prepare-worker.ts';

interface Slot {
  worker: Worker;
  inflight: Map<number, { resolve: (o: PrepareOutcome) => void; reject: (e: unknown) => void }>;
  /** Jobs gathered during this turn of the event loop, sent as one message. */
  outbox: PrepareJob[];
  /** Their payloads' memory that moves to the worker with the message instead of being copied. */
  transfers: Set<ArrayBufferLike>;
}

export interface PrepareOptions {
  /**
   * The payload's memory is private to this request and no longer needed here (see
   * src/ingest/private-bytes.ts): it moves to the worker instead of being copied, and every view
   * of it on this thread is detached.
   */
  handOver?: boolean;
}

/**
 * Parsing, normalising, scrubbing, grouping and compressing an event is CPU work of ~100 µs;
 * on the event loop it competes with HTTP and the SQLite commit for one core. The pool runs
 * it on worker threads so the main thread only moves bytes and commits
 * (docs/decisions/0004-prepare-events-on-worker-threads.md). Size 0 prepares inline.
 */
export class PreparePool {
  private slots: Slot[] = [];
  private nextId = 1;
  private closed = false;
  private readonly onCrash: (error: unknown) => void;

  constructor(size: number, onCrash: (error: unknown) => void) {
    this.onCrash = onCrash;
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  prepare(job: Omit<PrepareJob, 'id'>, options: PrepareOptions = {}): Promise<PrepareOutcome> {
    if (this.slots.length === 0) return Promise.resolve().then(() => runPrepareJob(job));
    if (this.closed)
      return Promise.reject(new AppError('UNAVAILABLE', 'server is shutting down', { retryAfter: 5 }));
    const slot = this.slots.reduce((a, b) => (b.inflight.size < a.inflight.size ? b : a));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.inflight.set(id, { resolve, reject });
      // One postMessage per loop turn instead of per event: each message costs a clone and a
      // wake-up of the worker (≈ 8 % of the main thread in the bench:ingest profile).
      // Moving a large body saves two copies and main-thread garbage (heavy bench: +7 % events/s,
      // −5 to −20 MB peak RSS); small ones are cloned, which measured no slower than moving.
      const payload = options.handOver ? job.payload : ownBytes(job.payload);
      if (options.handOver) slot.transfers.add(payload.buffer);
      if (slot.outbox.push({ ...job, payload, id }) === 1) {
        setImmediate(() => this.send(slot));
      }
    });
  }

  private send(slot: Slot): void {
    const jobs = slot.outbox;
    const transfers = [...slot.transfers] as ArrayBuffer[];
    slot.outbox = [];
    slot.transfers.clear();
    if (jobs.length === 0 || !this.slots.includes(slot)) return;
    try {
      slot.worker.postMessage(jobs, transfers);
    } catch {
      // A buffer Node will not transfer (a pooled one) fails the whole post before anything
      // moves: send copies instead.
      slot.worker.postMessage(jobs);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()));
  }

  private spawn(): Slot {
    // Its live set is one batch of events; without limits V8 lets an isolate under this
    // allocation rate grow its heap to hundreds of MB (bench:ingest peak RSS).
    const worker = new Worker(new URL('./prepare-worker.ts', import.meta.url), {
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 },
    });
    const slot: Slot = { worker, inflight: new Map(), outbox: [], transfers: new Set() };
    worker.unref();
    worker.on('message', (replies: PrepareReply[]) => {
      for (const reply of replies) {
        const waiter = slot.inflight.get(reply.id);
        if (!waiter) continue;
        slot.inflight.delete(reply.id);
        if ('outcome' in reply) waiter.resolve(reply.outcome);
        else if ('code' in reply.error) waiter.reject(new AppError(reply.error.code, reply.error.message));
        else waiter.reject(new Error(`event preparation failed: ${reply.error.unexpected}`));
      }
    });
    // A worker that dies takes only its in-flight events with it; a fresh one replaces it.
    worker.on('error', (error) => this.replace(slot, error));
    worker.on('exit', (code) => {
      if (!this.closed) this.replace(slot, new Error(`prepare worker exited with code ${code}`));
    });
    return slot;
  }

  private replace(slot: Slot, error: unknown): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return;
    for (const waiter of slot.inflight.values()) waiter.reject(error);
    slot.inflight.clear();
    this.onCrash(error);
    if (!this.closed) this.slots[index] = this.spawn();
  }
}

/**
 * Structured clone copies a view's whole buffer. A small body decoded or joined by Node lives in
 * a shared 64 KiB pool slab (Buffer.poolSize in Node 24): copy out just its bytes.
 */
function ownBytes(payload: Uint8Array): Uint8Array {
  return payload.buffer.byteLength > 2 * payload.byteLength ? new Uint8Array(payload) : payload;
}
