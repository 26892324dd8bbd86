import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { apiClient, memberWithToken, mintToken, sendEvent, startServerOn } from './helpers/issues.ts';
import { run } from './helpers/run.ts';
import type { TestServer } from './helpers/server.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.parse('2026-03-10T00:00:00Z');
const APRIL = Date.parse('2026-04-01T00:00:00Z');
const NOW = Date.parse('2026-04-10T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** The median and p90 as the report defines them, for the cross-check against the timelines. */
function stat(values: number[]) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return { count: 0, median: null, p90: null };
  return {
    count: n,
    median: n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2,
    p90: v[Math.ceil(0.9 * n) - 1],
  };
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`incident metrics (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    test('durations by severity and month equal the timelines; fragile areas; open and overdue action items', async () => {
      clock.set(T0 - 30 * MINUTE);
      const web = await t.setup();
      const payments = await t.setup(web.org, `pay${web.projectId}`);
      const api = apiClient(t.url, web.token);
      const org = `/api/0/organizations/${web.org}`;
      assert.equal((await api.put(`${org}/incident-settings/`, { componentTag: 'service' })).status, 200);
      const issueOf = async (s: typeof web, message: string, service: string) => {
        await sendEvent(t, s, { message, tags: { service }, timestamp: (T0 - 20 * MINUTE) / 1000 });
        const list = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
        return list.find((i: any) => i.title === message).shortId as string;
      };
      const cart1 = await issueOf(web, 'Cart total is NaN', 'cart');
      const cart2 = await issueOf(web, 'Cart lost items', 'cart');
      const charge = await issueOf(payments, 'Charge declined twice', 'payments');

      /** Declared at `at`, acknowledged, mitigated and resolved the given minutes later. */
      const run1 = async (
        at: number,
        body: Record<string, unknown>,
        ack: number,
        mitigate?: number,
        resolve?: number,
      ) => {
        clock.set(at);
        const declared = await api.post(`${org}/incidents/`, body);
        assert.equal(declared.status, 201, JSON.stringify(declared.body));
        const ref = declared.body.ref;
        clock.set(at + ack * MINUTE);
        assert.equal((await api.post(`${org}/incidents/${ref}/acknowledge/`, {})).status, 200);
        if (mitigate !== undefined) {
          clock.set(at + mitigate * MINUTE);
          const m = await api.post(`${org}/incidents/${ref}/mitigations/`, {
            type: 'rollback',
            release: 'web@1',
          });
          assert.equal(m.status, 201, JSON.stringify(m.body));
        }
        if (resolve !== undefined) {
          clock.set(at + resolve * MINUTE);
          const r = await api.post(`${org}/incidents/${ref}/resolve/`, {
            rootCause: 'bad deploy',
            override: 'test',
          });
          assert.equal(r.status, 200, JSON.stringify(r.body));
        }
        return ref as string;
      };
      const refs = [
        await run1(T0, { issues: [cart1], severity: 'P1', firstEventAt: iso(T0 - 10 * MINUTE) }, 2, 20, 60),
        await run1(
          T0 + DAY,
          { issues: [cart2], severity: 'P1', firstEventAt: iso(T0 + DAY - 4 * MINUTE) },
          1,
          10,
          30,
        ),
        await run1(
          T0 + 2 * DAY,
          {
            title: 'Checkout slow',
            severity: 'P2',
            services: ['checkout'],
            detectedAt: iso(T0 + 2 * DAY - 5 * MINUTE),
          },
          15,
        ),
        await run1(
          APRIL,
          { issues: [charge], severity: 'P1', firstEventAt: iso(APRIL - 2 * MINUTE) },
          3,
          6,
          20,
        ),
      ];

      clock.set(NOW);
      const due = (date: string) => `${date}T00:00:00Z`;
      const ivy = await memberWithToken(t, web.org, 'Ivy');
      const items = [
        [
          `${org}/incidents/${refs[0]}/action-items/`,
          { title: 'Test the cart total', kind: 'test', owner: 'dana', dueAt: due('2026-03-20') },
        ],
        [
          `${org}/incidents/${refs[0]}/action-items/`,
          { title: 'Alert on NaN totals', kind: 'monitor', dueAt: due('2026-05-01') },
        ],
        [
          `${org}/incidents/${refs[1]}/action-items/`,
          { title: 'Done already', kind: 'test', status: 'done', dueAt: due('2026-03-01') },
        ],
        [
          `${org}/action-items/`,
          {
            title: 'Gate deploys on checkout errors',
            kind: 'gate',
            owner: ivy.user.email,
            dueAt: due('2026-04-01'),
          },
        ],
      ] as const;
      for (const [path, body] of items) {
        const made = await api.post(path, body);
        assert.equal(made.status, 201, JSON.stringify(made.body));
      }

      const answer = await api.get(`${org}/incident-metrics/?since=90d`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const m = answer.body;
      assert.equal(m.since, '2026-01-10T00:00:00.000Z');
      const p1 = m.bySeverity.find((g: any) => g.severity === 'P1');
      assert.deepEqual(p1, {
        severity: 'P1',
        incidents: 3,
        open: 0,
        timeToDetect: { count: 3, median: 240, p90: 600 },
        timeToAcknowledge: { count: 3, median: 120, p90: 180 },
        timeToMitigate: { count: 3, median: 840, p90: 1800 },
        timeToResolve: { count: 3, median: 2040, p90: 4200 },
      });
      assert.deepEqual(
        m.bySeverity.map((g: any) => g.severity),
        ['P1', 'P2'],
      );
      assert.deepEqual(m.bySeverity[1].timeToAcknowledge, { count: 1, median: 1200, p90: 1200 });
      assert.deepEqual(m.bySeverity[1].timeToDetect, { count: 0, median: null, p90: null });
      assert.deepEqual(m.total.timeToAcknowledge, { count: 4, median: 150, p90: 1200 });
      assert.deepEqual(
        m.byMonth.map((g: any) => [g.month, g.incidents, g.open]),
        [
          ['2026-01', 0, 0],
          ['2026-02', 0, 0],
          ['2026-03', 3, 1],
          ['2026-04', 1, 0],
        ],
      );
      const march = m.byMonth[2];
      assert.deepEqual(march.timeToMitigate, { count: 2, median: 1320, p90: 1800 });
      assert.deepEqual(march.timeToResolve, { count: 2, median: 3120, p90: 4200 });

      // The same numbers from what each incident's timeline and milestones say happened.
      const implied: Record<string, Record<string, number[]>> = {};
      for (const ref of refs) {
        const incident = (await api.get(`${org}/incidents/${ref}/`)).body;
        const timeline = (await api.get(`${org}/incidents/${ref}/timeline/`)).body;
        const at = (kind: string) => {
          const entry = timeline.find((e: any) => e.kind === kind);
          return entry ? Date.parse(entry.occurredAt) : null;
        };
        const detected = Date.parse(incident.milestones.detected);
        const first = incident.milestones.firstEvent ? Date.parse(incident.milestones.firstEvent) : null;
        const start = first ?? detected;
        const values = {
          timeToDetect: first === null ? null : detected - first,
          timeToAcknowledge: (at('acknowledged') ?? Number.NaN) - detected,
          timeToMitigate: at('mitigation') === null ? null : (at('mitigation') as number) - start,
          timeToResolve: at('resolved') === null ? null : (at('resolved') as number) - start,
        };
        for (const group of [incident.severity, 'all']) {
          for (const [name, ms] of Object.entries(values)) {
            if (ms === null) continue;
            implied[group] ??= {};
            implied[group][name] ??= [];
            implied[group][name].push(ms / 1000);
          }
        }
        assert.deepEqual(
          incident.durations,
          Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null ? null : v / 1000])),
        );
      }
      for (const name of ['timeToDetect', 'timeToAcknowledge', 'timeToMitigate', 'timeToResolve']) {
        assert.deepEqual(m.bySeverity[0][name], stat(implied.P1[name] ?? []), name);
        assert.deepEqual(m.total[name], stat(implied.all[name] ?? []), name);
      }

      const areas = m.fragileAreas;
      assert.deepEqual(areas.months, ['2026-01', '2026-02', '2026-03', '2026-04']);
      assert.deepEqual(
        areas.projects.map((r: any) => [r.name, r.total, r.perMonth]),
        [
          [web.project, 2, [0, 0, 2, 0]],
          [payments.project, 1, [0, 0, 0, 1]],
        ],
      );
      assert.deepEqual(
        areas.components.map((r: any) => [r.name, r.total, r.perMonth]),
        [
          ['cart', 2, [0, 0, 2, 0]],
          ['payments', 1, [0, 0, 0, 1]],
          ['checkout', 1, [0, 0, 1, 0]],
        ],
      );
      assert.equal(m.actionItems.open, 3);
      assert.equal(m.actionItems.overdue, 2);
      assert.deepEqual(
        m.actionItems.overdueItems.map((i: any) => [i.title, i.kind, i.dueAt, i.incident, i.owner]),
        [
          ['Test the cart total', 'test', '2026-03-20T00:00:00.000Z', refs[0], 'dana'],
          ['Gate deploys on checkout errors', 'gate', '2026-04-01T00:00:00.000Z', null, 'Ivy'],
        ],
      );
      assert.deepEqual(m.actionItems.byKind, [
        { kind: 'gate', open: 1, overdue: 1 },
        { kind: 'monitor', open: 1, overdue: 0 },
        { kind: 'test', open: 1, overdue: 1 },
      ]);

      if (backend === 'sqlite') {
        const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: web.org, FIREBREAK_TOKEN: web.token };
        const report = await run(process.execPath, ['bin/firebreak.js', 'report', '--since', '90d'], { env });
        assert.equal(report.code, 0, report.stderr);
        assert.match(report.stdout, /4 incidents, 1 open/);
        assert.match(
          report.stdout,
          /P1\s+3\s+0\s+4m 00s \/ 10m 00s \(3\)\s+2m 00s \/ 3m 00s \(3\)\s+14m 00s \/ 30m 00s \(3\)\s+34m 00s \/ 1h 10m \(3\)/,
        );
        assert.match(report.stdout, /2026-03\s+3\s+1\s+7m 00s \/ 10m 00s \(2\)/);
        assert.match(report.stdout, /cart\s+2\s+0\s+0\s+2\s+0/);
        assert.match(report.stdout, /Action items: 3 open, 2 overdue/);
        assert.match(
          report.stdout,
          /overdue since 2026-03-20T00:00:00.000Z .*Test the cart total\s+owner dana\s+INC-1/,
        );
        const json = await run(process.execPath, ['bin/firebreak.js', 'report', '--json'], { env });
        assert.deepEqual(JSON.parse(json.stdout), m);
        const bad = await run(process.execPath, ['bin/firebreak.js', 'report', '--since', 'forever'], {
          env,
        });
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /invalid since/);
      }
    });

    test('scopes, bad periods, other organisations', async () => {
      const s = await t.setup();
      const other = await t.setup();
      const path = `/api/0/organizations/${s.org}/incident-metrics/`;
      const api = apiClient(t.url, s.token);
      const empty = await api.get(path);
      assert.equal(empty.status, 200);
      assert.equal(empty.body.total.incidents, 0);
      assert.equal(empty.body.byMonth.length >= 3, true);
      assert.equal((await api.get(`${path}?since=800d`)).status, 400);
      assert.equal((await api.get(`${path}?since=yesterday`)).status, 400);
      assert.equal((await api.get(`${path}?since=2026-01-01`)).status, 200);
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
      assert.equal((await reader.get(path)).status, 200);
      const events = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['event:read'] }));
      assert.equal((await events.get(path)).status, 403);
      assert.equal((await apiClient(t.url, other.token).get(path)).status, 404);
    });
  });
}
