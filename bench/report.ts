import { type IsolatePauses, LONG_PAUSE_MS } from './gc-trace.ts';
import { SLOW_MS } from './generator-protocol.ts';

/** One line of results per backend × profile run. */
export interface RunReport {
  backend: string;
  profile: string;
  eventBytes: number;
  wireBytes: number;
  gzip: boolean;
  concurrency: number;
  durationSeconds: number;
  acceptedPerSec: number;
  processedPerSec: number;
  maxP50Ms: number;
  maxP99Ms: number;
  targetRatePerSec: number;
  achievedRatePerSec: number;
  rateP50Ms: number;
  rateP99Ms: number;
  /** Answers over SLOW_MS in the 80 % phase, per second of it. */
  rateSlowPerSecond: number[];
  /**
   * Server CPU per answered event in the 80 % phase: at a fixed rate (--rate) it compares two
   * builds' cost far more steadily than their p99 does, which moves with the machine's speed.
   */
  rateServerCpuUsPerEvent: number;
  /** With --gc-trace: the 80 % phase's garbage-collector pauses per isolate, largest heap first. */
  rateGcPauses?: IsolatePauses[];
  errors: number;
  status503: number;
  status429: number;
  firstError: string | null;
  serverErrorLogLines: number;
  storedEvents: number;
  issues: number;
  serverPeakRssMb: number;
  serverCpuPct: number;
  generatorCpuPct: number;
  /** Everything else busy on the machine in phase 1: PostgreSQL, and anything not ours (noise). */
  otherCpuPct: number;
  cpus: number;
  diskBytesPerEvent: number;
}

const ROWS: [label: string, value: (r: RunReport) => string][] = [
  ['event size (bytes)', (r) => `${r.eventBytes}${r.gzip ? ` (gzip ${r.wireBytes} on wire)` : ''}`],
  ['max: accepted events/s', (r) => `${r.acceptedPerSec}`],
  ['max: processed events/s', (r) => `${r.processedPerSec}`],
  ['max: latency p50 / p99 ms', (r) => `${r.maxP50Ms} / ${r.maxP99Ms}`],
  ['80%: rate target / achieved /s', (r) => `${r.targetRatePerSec} / ${r.achievedRatePerSec}`],
  ['80%: latency p50 / p99 ms', (r) => `${r.rateP50Ms} / ${r.rateP99Ms}`],
  [`80%: answers > ${SLOW_MS} ms, per second`, (r) => slowSeconds(r.rateSlowPerSecond, r.durationSeconds)],
  ['80%: server CPU µs per event', (r) => `${r.rateServerCpuUsPerEvent}`],
  ['80%: GC pauses, main thread', (r) => gcPauses(r.rateGcPauses?.[0])],
  ['80%: GC pauses, next largest heap', (r) => gcPauses(r.rateGcPauses?.[1])],
  ['errors / 503s / 429s', (r) => `${r.errors} / ${r.status503} / ${r.status429}`],
  ['stored events / issues', (r) => `${r.storedEvents} / ${r.issues}`],
  ['server peak RSS (MB)', (r) => `${r.serverPeakRssMb}`],
  [
    'max: CPU % server / gen / other',
    (r) => `${r.serverCpuPct} / ${r.generatorCpuPct} / ${r.otherCpuPct} (of ${r.cpus * 100})`,
  ],
  ['disk bytes per event', (r) => `${r.diskBytesPerEvent}`],
];

/** "690 / 1584 ms, 53 / 396 ms, 18 > 10 ms (heap 25 MB)": scavenges, then major GCs (count / total pause). */
function gcPauses(pauses: IsolatePauses | undefined): string {
  if (!pauses) return '-';
  const { scavenges, scavengeMs, majors, majorMs, over10Ms, heapMb } = pauses;
  return `${scavenges} / ${scavengeMs} ms, ${majors} / ${majorMs} ms, ${over10Ms} > ${LONG_PAUSE_MS} ms (heap ${heapMb} MB)`;
}

/** "0 0 41 3 …": one count per second of the phase, so a stall shows where it happened. */
function slowSeconds(perSecond: number[], seconds: number): string {
  return Array.from({ length: seconds }, (_, i) => perSecond[i] ?? 0).join(' ');
}

/** Metrics down, runs across: a readable table for a terminal. */
export function formatTable(reports: RunReport[]): string {
  const header = ['', ...reports.map((r) => `${r.backend} ${r.profile}`)];
  const body = ROWS.map(([label, value]) => [label, ...reports.map(value)]);
  const rows = [header, ...body];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
  const notes = reports
    .filter((r) => r.firstError || r.serverErrorLogLines > 0)
    .map(
      (r) =>
        `${r.backend} ${r.profile}: first error ${r.firstError ?? '-'}; server error logs ${r.serverErrorLogLines}`,
    );
  return [...lines, ...notes].join('\n');
}
