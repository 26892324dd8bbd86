import {
  asArray,
  asObject,
  duration,
  type Json,
  oneLine,
  table,
  tableOrNone,
  time,
} from './incident-render.ts';
import type { CliIo } from './output.ts';

/** `4m 00s / 10m 00s (3)`: median / p90 (count) of one metric. */
function stat(value: unknown): string {
  const s = asObject(value);
  if (!s.count) return '—';
  return `${duration(s.median)} / ${duration(s.p90)} (${s.count})`;
}

const METRICS: [string, string][] = [
  ['timeToDetect', 'detect'],
  ['timeToAcknowledge', 'acknowledge'],
  ['timeToMitigate', 'mitigate'],
  ['timeToResolve', 'resolve'],
];

function statsTable(io: CliIo, label: string, rows: [string, Json][]): void {
  table(
    io,
    [label, 'incidents', 'open', ...METRICS.map(([, name]) => `${name} med / p90 (n)`)],
    rows.map(([name, group]) => [
      oneLine(name, 40),
      String(group.incidents ?? 0),
      String(group.open ?? 0),
      ...METRICS.map(([key]) => stat(group[key])),
    ]),
  );
}

function areaTable(io: CliIo, label: string, months: string[], rows: Json[]): void {
  tableOrNone(
    io,
    `${label}: none`,
    [label, 'total', ...months],
    rows.map((row) => [
      oneLine(row.name, 40),
      String(row.total),
      ...asArray(row.perMonth).map((n) => String(n)),
    ]),
  );
}

/** The metrics report for people: one table per view, durations as `12m 05s`. */
export function renderMetrics(io: CliIo, answer: unknown, org: string): void {
  const m = asObject(answer);
  const total = asObject(m.total);
  io.out(
    `Incident metrics for ${oneLine(org)}: declared ${time(m.since)} → ${time(m.until)}; ` +
      `${total.incidents ?? 0} incidents, ${total.open ?? 0} open`,
  );
  io.out('');
  statsTable(io, 'severity', [
    ...asArray(m.bySeverity).map((g): [string, Json] => [String(asObject(g).severity), asObject(g)]),
    ['all', total],
  ]);
  io.out('');
  statsTable(
    io,
    'month',
    asArray(m.byMonth).map((g): [string, Json] => [String(asObject(g).month), asObject(g)]),
  );
  const areas = asObject(m.fragileAreas);
  const months = asArray(areas.months).map(String);
  io.out('');
  io.out('Fragile areas (incidents per month, most first)');
  areaTable(io, 'project', months, asArray(areas.projects).map(asObject));
  io.out('');
  areaTable(io, 'component', months, asArray(areas.components).map(asObject));
  const items = asObject(m.actionItems);
  io.out('');
  io.out(`Action items: ${items.open ?? 0} open, ${items.overdue ?? 0} overdue`);
  for (const item of asArray(items.overdueItems).map(asObject)) {
    io.out(
      `  overdue since ${time(item.dueAt)}  #${oneLine(item.id)} [${oneLine(item.kind)}] ${oneLine(item.title, 80)}` +
        `  owner ${oneLine(item.owner, 40)}${item.incident ? `  ${oneLine(item.incident)}` : ''}`,
    );
  }
  if (m.truncated === true) io.out('(more incidents than one report reads: narrow --since)');
}
