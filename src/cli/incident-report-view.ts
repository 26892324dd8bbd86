import { asArray, asObject, fields, type Json, oneLine, table, time } from './incident-render.ts';
import type { CliIo } from './output.ts';

/**
 * The two reports an on-call engineer decides from: triage (what is hit, how hard, since which
 * deploy; `001_…` phases 1–2) and verification (did the mitigation bring the rate back down).
 * Shapes as src/api/serialize/incident-triage.ts and incident-response.ts give them.
 */

const num = (value: unknown, digits = 2): string =>
  typeof value === 'number' && Number.isFinite(value)
    ? Number.isInteger(value)
      ? String(value)
      : value.toFixed(digits)
    : '—';

const words = (value: unknown) => oneLine(value).replaceAll('_', ' ');

function deployLine(deploy: Json): string {
  const before =
    deploy.minutesBefore !== undefined ? `, ${num(deploy.minutesBefore, 1)} min before first seen` : '';
  return `${oneLine(deploy.version)} (${oneLine(deploy.environment)}) finished ${time(deploy.dateFinished)}${before}`;
}

function frameLine(frame: Json): string {
  const where = oneLine(frame.filename ?? frame.absPath ?? frame.module);
  const line = typeof frame.lineno === 'number' ? `:${frame.lineno}` : '';
  const fn = frame.function ? ` in ${oneLine(frame.function)}` : '';
  return `${where}${line}${fn}${frame.inApp === false ? ' (no in-app frame)' : ''}`;
}

/** `acme 30, beta 12 (+3 more)` for one breakdown dimension. */
function breakdownLine(breakdown: Json): string {
  const values = asArray(breakdown.values).map(asObject);
  if (values.length === 0) return '—';
  const shown = values.slice(0, 5).map((v) => `${oneLine(v.value, 60)} ${num(v.count)}`);
  const more = typeof breakdown.distinct === 'number' ? breakdown.distinct - shown.length : 0;
  return `${shown.join(', ')}${more > 0 ? ` (+${more} more)` : ''}`;
}

export function renderTriage(io: CliIo, answer: unknown): void {
  const report = asObject(answer);
  const window = asObject(report.window);
  const baseline = asObject(report.baseline);
  const blast = asObject(report.blastRadius);
  const features = asObject(blast.features);
  const suspects = asObject(report.suspects);
  const total = asObject(report.total);
  io.out(
    `${oneLine(asObject(report.incident).ref)} triage at ${time(report.generatedAt)}: last ${num(window.minutes)} min against the ${num(baseline.minutes)} min before`,
  );
  // The decision first: blast radius and what the playbook says to do about it.
  const names = asArray(features.names)
    .map(asObject)
    .map((f) => `${oneLine(f.name, 60)} ${num(f.count)}`);
  const rows: [string, string][] = [
    ['summary', oneLine(report.summary, 400)],
    ['blast radius', `${words(blast.class)} → ${words(blast.recommendation)}`],
    ['why', oneLine(blast.reason, 400)],
    [
      `features (${oneLine(features.dimension)})`,
      names.length ? `${names.join(', ')} of ${num(features.events)} events` : '—',
    ],
    ['environment', oneLine(asObject(report.environment).text ?? 'every environment', 200)],
  ];
  const deploy = asObject(suspects.deploy);
  if (deploy.version) {
    const implicated = asArray(deploy.implicatedIssues)
      .map(asObject)
      .map((i) => `${oneLine(i.shortId)} ${words(i.reason)}`);
    rows.push([
      'suspect deploy',
      `${deployLine(deploy)}${implicated.length ? `; ${implicated.join(', ')}` : ''}`,
    ]);
  } else rows.push(['suspect deploy', '—']);
  const target = asObject(suspects.rollbackTarget);
  rows.push([
    'rollback target',
    target.version
      ? `${oneLine(target.version)} (${oneLine(target.environment)}, deployed ${time(target.deployedAt)})`
      : '—',
  ]);
  rows.push(['first seen', time(total.firstSeen)]);
  const before = asObject(total.deployBeforeFirstSeen);
  rows.push(['deploy before it', before.version ? deployLine(before) : '—']);
  if (total.topFrame) rows.push(['top frame', frameLine(asObject(total.topFrame))]);
  fields(io, rows);

  io.out('');
  const issues = asArray(report.issues).map(asObject);
  const rateRow = (label: string, project: string, item: Json): string[] => {
    const events = asObject(item.events);
    const users = asObject(item.users);
    return [
      label,
      project,
      num(events.window),
      num(events.baseline),
      num(events.perMinute),
      events.ratio === null ? 'new' : `${num(events.ratio, 1)}×`,
      num(users.window),
      item.firstSeen ? time(item.firstSeen) : '—',
      item.topFrame ? frameLine(asObject(item.topFrame)) : '—',
    ];
  };
  table(
    io,
    ['ISSUE', 'PROJECT', 'EVENTS', 'BEFORE', '/MIN', 'RATIO', 'USERS', 'FIRST SEEN', 'TOP FRAME'],
    [
      ...issues.map((i) => rateRow(oneLine(i.shortId), oneLine(asObject(i.project).slug), i)),
      rateRow('TOTAL', '', total),
    ],
  );

  const affected = asObject(total.affected);
  if (Object.keys(affected).length > 0) {
    io.out('');
    fields(
      io,
      Object.entries(affected).map(([name, breakdown]) => [name, breakdownLine(asObject(breakdown))]),
    );
  }
  const extra: [string, string][] = [];
  const deploys = asArray(total.latestDeploys).map(asObject);
  if (deploys.length) extra.push(['latest deploys', deploys.map(deployLine).join('\n')]);
  const commits = asArray(suspects.commits).map(asObject);
  if (commits.length) {
    extra.push([
      'suspect commits',
      commits
        .map((c) => {
          const author = asObject(c.author);
          return `${oneLine(c.id).slice(0, 12)}  ${oneLine(c.message, 80)} — ${oneLine(author.name ?? author.email)} (${
            asArray(c.files)
              .map((f) => oneLine(f))
              .join(', ') || 'no files'
          })`;
        })
        .join('\n'),
    ]);
  }
  const correlated = asArray(suspects.correlatedIssues).map(asObject);
  if (correlated.length) {
    extra.push([
      'correlated issues',
      correlated
        .map((c) => {
          const events = asObject(c.events);
          return `${oneLine(c.shortId)}  ${oneLine(c.title, 80)}  ${num(events.window)} events (${num(events.baseline)} before)`;
        })
        .join('\n'),
    ]);
  }
  if (extra.length) {
    io.out('');
    fields(io, extra);
  }
}

function windowText(label: string, window: unknown): string {
  const w = asObject(window);
  if (w.minutes === undefined) return `${label} —`;
  return `${label} ${num(w.perMinute)} (${num(w.count)} in ${num(w.minutes)} min)`;
}

export function renderVerification(io: CliIo, answer: unknown): void {
  const v = asObject(answer);
  const mitigation = asObject(v.mitigation);
  const rows: [string, string][] = [
    ['verdict', `${words(v.verdict)}${v.reason ? ` — ${oneLine(v.reason, 400)}` : ''}`],
    [
      'events /min',
      [
        windowText('baseline', v.baseline),
        windowText('during', v.during),
        windowText('after', v.after),
        windowText('recent', v.recent),
      ].join('\n'),
    ],
    [
      'hold window',
      `${num(v.holdMinutes)} min at or under baseline (±${num(v.tolerancePercent)}%)${v.holdEndsAt ? `, ends ${time(v.holdEndsAt)}` : ''}`,
    ],
    [
      'mitigation',
      mitigation.type
        ? `${words(mitigation.type)}${mitigation.release ? ` ${oneLine(mitigation.release)}` : ''} at ${time(mitigation.occurredAt)} (#${oneLine(mitigation.entryId)})`
        : '—',
    ],
    ['computed', time(v.computedAt)],
  ];
  if (v.entryId !== undefined) rows.push(['recorded', v.entryId ? `timeline #${oneLine(v.entryId)}` : 'no']);
  const last = asObject(v.lastRecorded);
  if (last.entryId)
    rows.push([
      'last recorded',
      `${words(last.verdict)} at ${time(last.occurredAt)} (#${oneLine(last.entryId)})`,
    ]);
  fields(io, rows);
  const issues = asArray(v.issues).map(asObject);
  if (issues.length === 0) return;
  io.out('');
  table(
    io,
    ['ISSUE', 'PROJECT', 'USERS', 'BASELINE', 'DURING', 'AFTER', 'RECENT'],
    issues.map((i) => {
      const counts = asObject(i.counts);
      return [
        oneLine(i.shortId),
        oneLine(i.project),
        num(i.userCount),
        num(counts.baseline),
        num(counts.during),
        num(counts.after),
        num(counts.recent),
      ];
    }),
  );
}
