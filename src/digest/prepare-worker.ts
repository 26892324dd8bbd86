import { parentPort } from 'node:worker_threads';
import { AppError } from '../app-error.ts';
import { parseJsonObject } from '../ingest/envelope.ts';
import type { Project } from '../store/types.ts';
import { withStorableEscapes } from './json-escapes.ts';
import { prepareEvent } from './prepare.ts';

/** One event to prepare: the raw item bytes and what the request knew about it. */
export interface PrepareJob {
  id: number;
  payload: Uint8Array;
  project: Project;
  receivedAt: number;
  envelopeEventId?: string;
  sentAt?: number;
  clientIp?: string;
  maxJsonDepth: number;
}

export type PrepareOutcome =
  | { kind: 'event'; event: ReturnType<typeof prepareEvent> }
  /** A transaction sent to /store/ (type: "transaction"): accepted, not grouped. */
  | { kind: 'transaction' };

export type PrepareReply =
  | { id: number; outcome: PrepareOutcome }
  | { id: number; error: { code: AppError['code']; message: string } | { unexpected: string } };

/** Parses and prepares one event; the same function runs inline or inside a worker. */
export function runPrepareJob(job: Omit<PrepareJob, 'id'>): PrepareOutcome {
  const bytes = Buffer.from(job.payload.buffer, job.payload.byteOffset, job.payload.byteLength);
  const raw = parseJsonObject(withStorableEscapes(bytes), job.maxJsonDepth);
  if (raw.type === 'transaction') return { kind: 'transaction' };
  return { kind: 'event', event: prepareEvent(raw, job) };
}

function replyTo(job: PrepareJob): PrepareReply {
  try {
    return { id: job.id, outcome: runPrepareJob(job) };
  } catch (error) {
    return {
      id: job.id,
      error:
        error instanceof AppError
          ? { code: error.code, message: error.message }
          : { unexpected: error instanceof Error ? (error.stack ?? error.message) : String(error) },
    };
  }
}

/** Past this much array-buffer memory in this thread, ask for a major GC (see below). */
const ARRAY_BUFFER_SOFT_LIMIT = 16 * 1024 * 1024;

/**
 * This thread's heap is small and grows slowly, so V8 runs a major GC here only when external
 * memory has grown by ~64 MB: until then the byte buffers of events it prepared, promoted by a
 * busy batch, wait as garbage (bench:ingest typical: 35–50 MB). `serve` exposes `gc`
 * (bin/serve-process.js); a check every 200 ms asks for a major GC of this small heap once they
 * pass the soft limit. It is a full mark-compact, not an incremental one (5–18 ms of this thread,
 * none of the main thread's; `bench:ingest --gc-trace`), so what piles here should stay small:
 * the payload compressor reuses one zstd context and output buffer (src/digest/zstd-frames.ts).
 * Without `gc`, nothing happens.
 */
function startArrayBufferReducer(): void {
  const gc = (globalThis as { gc?: (options: { type: 'major'; execution: 'async' }) => void }).gc;
  if (!gc) return;
  setInterval(() => {
    if (process.memoryUsage().arrayBuffers > ARRAY_BUFFER_SOFT_LIMIT)
      gc({ type: 'major', execution: 'async' });
  }, 200).unref();
}

if (parentPort) {
  const port = parentPort;
  startArrayBufferReducer();
  // Jobs arrive in batches (one message per main-thread loop turn) and are answered the same way.
  // Payloads are a few KB: copying them is cheaper than making them transferable.
  port.on('message', (jobs: PrepareJob[]) => port.postMessage(jobs.map(replyTo)));
}
