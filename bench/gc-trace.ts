/**
 * Garbage-collector pauses of a server run with `--trace-gc`, per isolate (the main thread and
 * each worker thread have their own heap). A pause stops only its own thread, and the thread
 * answering requests is the one whose pauses show in the latency tail; pause totals move less
 * between runs than the p99 does (docs/performance.md).
 */

export interface IsolatePauses {
  /** V8's isolate address as the trace prints it; stable within one run only. */
  isolate: string;
  /** The isolate's largest heap after a pause: tells the main thread (largest) from workers. */
  heapMb: number;
  scavenges: number;
  scavengeMs: number;
  majors: number;
  majorMs: number;
  /** Pauses of either kind longer than 10 ms. */
  over10Ms: number;
}

interface Pause {
  isolate: string;
  major: boolean;
  ms: number;
  heapAfterMb: number;
}

// [pid:0x1bab7000]   21083 ms: Mark-Compact 32.0 (36.4) -> 25.0 (36.2) MB, pooled: 2 MB, 8.98 / 0.00 ms …
const TRACE_LINE =
  /^\[\d+:(0x[0-9a-f]+)\]\s+[\d.]+ ms: (Scavenge|Minor Mark-Sweep|Mark-Compact(?: \(reduce\))?) [\d.]+ \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB, pooled: [\d.]+ MB, ([\d.]+) \//;

/** Pauses longer than this are counted on their own. */
export const LONG_PAUSE_MS = 10;

export class GcTrace {
  readonly #pauses: Pause[] = [];
  #partialLine = '';

  /** Takes the server's stdout as it arrives; lines that are not trace lines are ignored. */
  feed(chunk: string): void {
    const lines = (this.#partialLine + chunk).split('\n');
    this.#partialLine = lines.pop() ?? '';
    for (const line of lines) {
      const match = TRACE_LINE.exec(line);
      if (!match) continue;
      const [, isolate, kind, heapAfter, pause] = match;
      this.#pauses.push({
        isolate,
        major: kind.startsWith('Mark-Compact'),
        ms: Number(pause),
        heapAfterMb: Number(heapAfter),
      });
    }
  }

  /** A position in the trace, to summarise only what comes after it. */
  mark(): number {
    return this.#pauses.length;
  }

  /** Pauses since `mark`, per isolate, the largest heap (the main thread's) first. */
  since(mark: number): IsolatePauses[] {
    const byIsolate = new Map<string, IsolatePauses>();
    for (const pause of this.#pauses.slice(mark)) {
      let entry = byIsolate.get(pause.isolate);
      if (!entry) {
        entry = {
          isolate: pause.isolate,
          heapMb: 0,
          scavenges: 0,
          scavengeMs: 0,
          majors: 0,
          majorMs: 0,
          over10Ms: 0,
        };
        byIsolate.set(pause.isolate, entry);
      }
      entry.heapMb = Math.max(entry.heapMb, pause.heapAfterMb);
      if (pause.major) {
        entry.majors++;
        entry.majorMs += pause.ms;
      } else {
        entry.scavenges++;
        entry.scavengeMs += pause.ms;
      }
      if (pause.ms > LONG_PAUSE_MS) entry.over10Ms++;
    }
    return [...byIsolate.values()]
      .map((entry) => ({
        ...entry,
        scavengeMs: Math.round(entry.scavengeMs),
        majorMs: Math.round(entry.majorMs),
      }))
      .sort((a, b) => b.heapMb - a.heapMb);
  }
}
