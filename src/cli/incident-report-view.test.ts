import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTriage, renderVerification } from './incident-report-view.ts';
import type { CliIo } from './output.ts';

/** The triage and verification reports as printed, from answers shaped as the API serialises them. */

function render(fn: (io: CliIo, answer: unknown) => void, answer: unknown): string {
  const lines: string[] = [];
  fn({ out: (t) => lines.push(t), err: (t) => lines.push(`ERR ${t}`) }, answer);
  return lines.join('\n');
}

const rate = (window: number, baseline: number, ratio: number | null) => ({
  window,
  baseline,
  perMinute: window / 15,
  baselinePerMinute: baseline / 60,
  ratio,
});
const deploy = (version: string, dateFinished: string) => ({
  id: '2',
  version,
  environment: 'production',
  dateFinished,
  projects: ['web'],
});
const breakdown = (values: [string, number][], distinct = values.length) => ({
  values: values.map(([value, count]) => ({ value, count })),
  distinct,
  events: 42,
  sources: ['tag:x'],
  truncated: false,
});

const TRIAGE = {
  incident: { id: '3', ref: 'INC-7' },
  generatedAt: '2025-01-31T14:20:00.000Z',
  window: { minutes: 15, start: '2025-01-31T14:05:00.000Z', end: '2025-01-31T14:20:00.000Z' },
  baseline: { minutes: 60, start: '2025-01-31T13:05:00.000Z', end: '2025-01-31T14:05:00.000Z' },
  summary: 'many users, many features (/checkout, /cart): roll back first, debug after — 42 events/15 min',
  environment: {
    name: 'production',
    source: 'mitigation',
    text: "production only (the latest mitigation's environment)",
  },
  issues: [
    {
      id: '12',
      shortId: 'WEB-12',
      title: 'TypeError: cart is undefined',
      project: { id: '1', slug: 'web' },
      firstSeen: '2025-01-31T14:02:00.000Z',
      events: rate(42, 6, 28),
      users: { window: 17, recent: 18, overall: 20 },
      topFrame: { filename: 'app/cart.js', function: 'addItem', lineno: 42, inApp: true },
    },
  ],
  total: {
    events: rate(42, 6, 28),
    users: { window: 17, recent: 18, overall: 20 },
    affected: {
      organizations: breakdown([['acme-corp', 30]], 7),
      regions: breakdown([['eu-west-1', 42]]),
      transactions: breakdown([
        ['/checkout', 30],
        ['/cart', 12],
      ]),
      urls: breakdown([]),
    },
    firstSeen: '2025-01-31T14:02:00.000Z',
    deployBeforeFirstSeen: { ...deploy('web@2.4.0', '2025-01-31T14:00:00.000Z'), minutesBefore: 2 },
    latestDeploys: [deploy('web@2.4.0', '2025-01-31T14:00:00.000Z')],
    topFrame: { filename: 'app/cart.js', function: 'addItem', lineno: 42, inApp: true },
  },
  blastRadius: {
    class: 'many_users_many_features',
    recommendation: 'rollback_first',
    reason: '17 users, 2 features: roll back first',
    features: {
      dimension: 'transaction',
      events: 42,
      names: [
        { name: '/checkout', count: 30 },
        { name: '/cart', count: 12 },
      ],
    },
  },
  suspects: {
    deploy: {
      ...deploy('web@2.4.0', '2025-01-31T14:00:00.000Z'),
      implicatedIssues: [{ shortId: 'WEB-12', reason: 'first_seen', minutesAfter: 2 }],
    },
    rollbackTarget: {
      version: 'web@2.3.9',
      environment: 'production',
      deployedAt: '2025-01-30T09:00:00.000Z',
      deployId: '1',
    },
    commits: [
      {
        id: 'a1b2c3d4e5f6a7b8',
        repository: 'acme/web',
        message: 'Refactor cart \u001b]8;;evil\u0007store',
        author: { name: 'Dev', email: 'dev@acme.test' },
        files: ['app/cart.js'],
      },
    ],
    correlatedIssues: [{ shortId: 'API-3', title: 'Timeout', events: rate(30, 3, 40) }],
  },
};

test('triage: the decision first, then the numbers per issue and in total, then reach and suspects', () => {
  const out = render(renderTriage, TRIAGE);
  assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f]/);
  const lines = out.split('\n');
  assert.equal(lines[0], 'INC-7 triage at 2025-01-31T14:20:00.000Z: last 15 min against the 60 min before');
  assert.match(lines[2], /^blast radius: +many users many features → rollback first$/);
  assert.match(out, /features \(transaction\): \/checkout 30, \/cart 12 of 42 events/);
  assert.match(out, /^environment: +production only \(the latest mitigation's environment\)$/m);
  assert.match(
    out,
    /suspect deploy: +web@2\.4\.0 \(production\) finished 2025-01-31T14:00:00\.000Z; WEB-12 first seen/,
  );
  assert.match(out, /rollback target: +web@2\.3\.9 \(production, deployed 2025-01-30T09:00:00\.000Z\)/);
  assert.match(out, /deploy before it: +web@2\.4\.0 .*, 2 min before first seen/);
  assert.match(out, /^ISSUE +PROJECT +EVENTS +BEFORE +\/MIN +RATIO +USERS +FIRST SEEN +TOP FRAME$/m);
  assert.match(
    out,
    /^WEB-12 +web +42 +6 +2\.80 +28× +17 +2025-01-31T14:02:00\.000Z +app\/cart\.js:42 in addItem$/m,
  );
  assert.match(out, /^TOTAL +42 +6 +2\.80 +28× +17 /m);
  assert.match(out, /^organizations: acme-corp 30 \(\+6 more\)$/m);
  assert.match(out, /^urls: +—$/m);
  assert.match(
    out,
    /suspect commits: +a1b2c3d4e5f6 {2}Refactor cart {2}]8;;evil store — Dev \(app\/cart\.js\)/,
  );
  assert.match(out, /correlated issues: +API-3 {2}Timeout {2}30 events \(3 before\)/);
});

test('triage with nothing found prints dashes, not "undefined"', () => {
  const out = render(renderTriage, {
    incident: { ref: 'INC-1' },
    issues: [],
    total: {},
    blastRadius: {},
    suspects: {},
  });
  assert.doesNotMatch(out, /undefined|NaN|\[object/);
  assert.match(out, /suspect deploy: +—/);
});

test('verification: verdict and reason, the four windows, the hold, the per-issue counts', () => {
  const window = (perMinute: number | null, count: number, minutes: number) => ({
    perMinute,
    count,
    minutes,
  });
  const out = render(renderVerification, {
    verdict: 'not_improved',
    reason: '30/min over the last 10 min vs baseline 0.1/min',
    holdMinutes: 10,
    tolerancePercent: 10,
    holdEndsAt: '2025-01-31T14:40:00.000Z',
    computedAt: '2025-01-31T14:41:00.000Z',
    mitigation: { entryId: '9', type: 'feature_flag', release: null, occurredAt: '2025-01-31T14:30:00.000Z' },
    baseline: window(0.1, 6, 60),
    during: window(2.8, 70, 25),
    after: window(3, 30, 10),
    recent: window(3, 30, 10),
    issues: [
      {
        issueId: '12',
        shortId: 'WEB-12',
        project: 'web',
        userCount: 17,
        counts: { baseline: 6, during: 70, after: 30, recent: 30 },
      },
    ],
    entryId: '15',
  });
  assert.match(out, /^verdict: +not improved — 30\/min over the last 10 min vs baseline 0\.1\/min$/m);
  assert.match(
    out,
    /^events \/min: +baseline 0\.10 \(6 in 60 min\)\n +during 2\.80 \(70 in 25 min\)\n +after 3 \(30 in 10 min\)/m,
  );
  assert.match(out, /hold window: +10 min at or under baseline \(±10%\), ends 2025-01-31T14:40:00\.000Z/);
  assert.match(out, /mitigation: +feature flag at 2025-01-31T14:30:00\.000Z \(#9\)/);
  assert.match(out, /recorded: +timeline #15/);
  assert.match(out, /^WEB-12 +web +17 +6 +70 +30 +30$/m);
});
