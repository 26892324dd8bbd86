import type { QueryGroup } from './query-catalogue.ts';
import type { GenerationReport } from './query-generator.ts';
import { type ConcurrentResult, type Latency, latencyOf, type QueryResult } from './query-measure.ts';

/** One query benchmark run (one backend): the data set, every query's latency, and the targets. */
export interface QueryRunReport {
  backend: string;
  events: number;
  issues: number;
  /** Null when the data set was reused. */
  generation: GenerationReport | null;
  /** Hours between the newest event and the run (a reused data set ages; "24h" windows thin out). */
  datasetAgeHours: number;
  dbBytes: number;
  dbBytesPerEvent: number;
  serverPeakRssMb: number;
  loadBefore: string;
  loadAfter: string;
  cpus: number;
  queries: QueryResult[];
  groups: GroupSummary[];
  concurrent: ConcurrentResult | null;
  /** What a reader of the figures should know about this run's setup. */
  notes: string[];
}

export interface GroupSummary extends Latency {
  group: QueryGroup;
  targetP95Ms: number | null;
  withinTarget: boolean | null;
}

/** The requirement's targets: list p95 ≤ 50 ms, detail p95 ≤ 30 ms (events: reported, no target). */
const TARGET_P95_MS: Record<QueryGroup, number | null> = { list: 50, detail: 30, events: null };

/** Every request of a group pooled, so "list p95" is over all list variants. */
export function summarizeGroups(measured: { group: QueryGroup; samples: number[] }[]): GroupSummary[] {
  return (['list', 'detail', 'events'] as const).map((group) => {
    const latency = latencyOf(measured.filter((q) => q.group === group).flatMap((q) => q.samples));
    const targetP95Ms = TARGET_P95_MS[group];
    return {
      group,
      ...latency,
      targetP95Ms,
      withinTarget: targetP95Ms === null ? null : latency.p95Ms <= targetP95Ms,
    };
  });
}

export function formatRun(report: QueryRunReport): string {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
  const generation = report.generation
    ? `generated in ${report.generation.seconds} s (${report.generation.eventsPerSec} events/s written` +
      (report.generation.maintenanceSeconds > 0
        ? `, ${report.generation.maintenanceSeconds} s VACUUM ANALYZE`
        : '') +
      '; ' +
      `${report.generation.resolved} resolved, ${report.generation.ignored} ignored)`
    : 'reused';
  const lines = [
    `== ${report.backend}: ${report.events} events, ${report.issues} issues — ${generation}`,
    `   database ${mb(report.dbBytes)} (${report.dbBytesPerEvent} bytes/event); newest event ${report.datasetAgeHours} h old; ` +
      `server peak RSS ${report.serverPeakRssMb} MB; load ${report.loadBefore} → ${report.loadAfter} (${report.cpus} CPUs)`,
    '',
  ];
  const rows = [
    ['query', 'n', 'rows', 'p50 ms', 'p95 ms', 'max ms', 'cpu ms/req'],
    ...report.queries.map((q) => [
      q.name,
      `${q.requests}`,
      `${q.rows}`,
      `${q.p50Ms}`,
      `${q.p95Ms}`,
      `${q.maxMs}`,
      `${q.serverCpuMs}`,
    ]),
    ...report.groups.map((g) => [
      `ALL ${g.group}${g.targetP95Ms === null ? '' : ` (target p95 ≤ ${g.targetP95Ms} ms: ${g.withinTarget ? 'met' : 'MISSED'})`}`,
      `${g.requests}`,
      '',
      `${g.p50Ms}`,
      `${g.p95Ms}`,
      `${g.maxMs}`,
      '',
    ]),
  ];
  lines.push(...table(rows));
  if (report.concurrent) {
    const c = report.concurrent;
    lines.push(
      '',
      `concurrency ${c.concurrency}, mixed: ${c.requests} requests, ${c.requestsPerSec} req/s, p50 ${c.p50Ms} / p95 ${c.p95Ms} ms; ` +
        c.groups.map((g) => `${g.group} p50 ${g.p50Ms} / p95 ${g.p95Ms}`).join(', '),
    );
  }
  lines.push(...report.notes.map((note) => `note: ${note}`));
  return lines.join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ')
      .trimEnd(),
  );
}
