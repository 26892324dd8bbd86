import type { ProfileName } from './payloads.ts';
import type { LatencySummary } from './stats.ts';

/** Messages between bench/ingest.ts and the load generator process it forks. */

/** The p99 target: answers slower than this are counted per second of the phase. */
export const SLOW_MS = 50;

/** Connections an open-loop ('rate') phase may open: enough that a slow second queues at the server, not here. */
export const STEADY_MAX_SOCKETS = 256;

export interface GeneratorOptions {
  /** Server origin; only 127.0.0.1 is accepted. */
  origin: string;
  projectId: string;
  publicKey: string;
  profile: ProfileName;
}

export type PhaseRequest =
  | { phase: 'max'; durationMs: number; concurrency: number }
  | { phase: 'rate'; durationMs: number; rate: number; maxSockets: number };

/** An open-loop phase at `rate` events/s, with the connection limit every bench uses for one. */
export function steadyPhase(durationMs: number, rate: number): PhaseRequest {
  return { phase: 'rate', durationMs, rate, maxSockets: STEADY_MAX_SOCKETS };
}

export interface GeneratorReady {
  type: 'ready';
  /** Mean uncompressed envelope size. */
  eventBytes: number;
  /** Mean request body size on the wire (smaller when gzipped, as the SDK does above 32 KiB). */
  wireBytes: number;
  gzip: boolean;
}

export interface PhaseResult extends LatencySummary {
  type: 'result';
  sent: number;
  ok: number;
  status503: number;
  status429: number;
  /** Network errors, timeouts and any other status. */
  errors: number;
  firstError: string | null;
  /**
   * Answers slower than the 50 ms p99 target, by the second of the phase the request was due
   * in: tells a tail spread over the run from one stall or one slow spell of the machine.
   */
  slowPerSecond: number[];
  /** From the first send until the last response. */
  elapsedMs: number;
  /** CPU time the generator itself used in this phase. */
  cpuMs: number;
}

export type GeneratorMessage = GeneratorReady | PhaseResult;
