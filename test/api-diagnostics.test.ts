import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, mintToken, sendEvent, startServerOn } from './helpers/issues.ts';
import { run } from './helpers/run.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:30Z');
const MINUTE = 60_000;
const iso = (minutesAgo: number) => new Date(T0 - minutesAgo * MINUTE).toISOString();

function error(minutesAgo: number, type: string, fn: string, extra: Record<string, unknown>) {
  return {
    timestamp: (T0 - minutesAgo * MINUTE) / 1000,
    platform: 'node',
    environment: 'production',
    exception: {
      values: [
        {
          type,
          value: `${type} in ${fn}`,
          stacktrace: {
            frames: [
              { filename: 'src/server.js', function: 'handle', lineno: 5, in_app: true },
              {
                filename: `src/${fn}.js`,
                function: fn,
                lineno: 42,
                context_line: `  ${fn}();`,
                in_app: true,
              },
              { filename: 'node_modules/pg/index.js', function: 'query', lineno: 1, in_app: false },
            ],
          },
        },
      ],
    },
    ...extra,
  };
}

/** What was sent: 2 events the hour before; 6 of checkout (3 users) and 4 of a new refund issue now. */
async function sendTraffic(t: TestServer, s: SetupResult) {
  for (const minutesAgo of [90, 80]) {
    await sendEvent(
      t,
      s,
      error(minutesAgo, 'TypeError', 'checkout', { release: 'web@1', user: { email: 'u1@x.io' } }),
    );
  }
  const checkoutUsers = ['u1', 'u1', 'u1', 'u2', 'u2', 'u3'];
  for (const [i, user] of checkoutUsers.entries()) {
    await sendEvent(
      t,
      s,
      error(50 - i, 'TypeError', 'checkout', { release: 'web@2', user: { email: `${user}@x.io` } }),
    );
  }
  for (const [i, user] of ['u4', 'u4', 'u4', null].entries()) {
    await sendEvent(
      t,
      s,
      error(30 - i, 'RangeError', 'refund', {
        release: 'web@2',
        environment: 'staging',
        ...(user ? { user: { email: `${user}@x.io` } } : {}),
      }),
    );
  }
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`project diagnostics (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    test('the report matches the data sent: rates, frames, users, releases, deploys, incidents, runbooks', async () => {
      const s = await t.setup();
      const other = await t.setup(s.org, `other${s.projectId}`);
      const api = apiClient(t.url, s.token);
      const org = `/api/0/organizations/${s.org}`;
      for (const [version, finished] of [
        ['web@1', 180],
        ['web@2', 20],
      ] as const) {
        assert.equal((await api.post(`${org}/releases/`, { version, projects: [s.project] })).status, 201);
        const deploy = await api.post(`${org}/releases/${version}/deploys/`, {
          environment: 'production',
          dateFinished: iso(finished),
        });
        assert.equal(deploy.status, 201, JSON.stringify(deploy.body));
      }
      await sendTraffic(t, s);
      await sendEvent(t, other, error(10, 'Error', 'elsewhere', {}));
      const issues = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/?query=`)).body;
      const checkout = issues.find((i: any) => i.title.startsWith('TypeError')).shortId;
      const refund = issues.find((i: any) => i.title.startsWith('RangeError')).shortId;
      const open = (await api.post(`${org}/incidents/`, { issues: [checkout], severity: 'P1' })).body.ref;
      const closed = (await api.post(`${org}/incidents/`, { title: 'Old one', services: [s.project] })).body
        .ref;
      await api.post(`${org}/incidents/${closed}/resolve/`, { rootCause: 'x', override: 'test' });
      await api.post(`${org}/incidents/`, { title: 'Elsewhere', services: [other.project] });
      const runbook = (
        await api.post(`${org}/runbooks/`, { title: 'Web', body: '# Web\n', projects: [s.project] })
      ).body.id;

      const answer = await api.get(`/api/0/projects/${s.org}/${s.project}/diagnostics/?since=1h`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const d = answer.body;
      assert.deepEqual(d.window, {
        start: '2026-11-22T08:01:00.000Z',
        end: '2026-11-22T09:01:00.000Z',
        minutes: 60,
      });
      assert.deepEqual(d.events, {
        events: 10,
        previous: 2,
        perMinute: 0.17,
        previousPerMinute: 0.03,
        ratio: 5,
        issues: 2,
      });
      assert.deepEqual(
        d.topIssues.map((i: any) => [
          i.shortId,
          i.events,
          i.previous,
          i.ratio,
          i.users,
          i.isNew,
          i.lastRelease,
        ]),
        [
          [checkout, 6, 2, 3, 3, false, 'web@2'],
          [refund, 4, 0, null, 1, true, 'web@2'],
        ],
      );
      assert.deepEqual(
        d.newIssues.map((i: any) => i.shortId),
        [refund],
      );
      assert.deepEqual(
        d.topFrames.map((f: any) => [f.file, f.function, f.lineno, f.inApp, f.events, f.issues]),
        [
          ['src/checkout.js', 'checkout', 42, true, 6, [checkout]],
          ['src/refund.js', 'refund', 42, true, 4, [refund]],
        ],
      );
      assert.equal(d.users.distinct, 4);
      assert.equal(d.users.eventsWithoutUser, 1);
      assert.deepEqual(
        [...d.users.top].sort((a: any, b: any) => b.events - a.events || a.user.localeCompare(b.user)),
        [
          { user: 'u1@x.io', events: 3 },
          { user: 'u4@x.io', events: 3 },
          { user: 'u2@x.io', events: 2 },
          { user: 'u3@x.io', events: 1 },
        ],
      );
      assert.deepEqual(
        d.releases.map((r: any) => [r.version, r.eventsInWindow, r.newIssues]),
        [
          ['web@2', 10, 1],
          ['web@1', 0, 1],
        ],
      );
      assert.deepEqual(
        d.deploys.map((x: any) => [x.version, x.environment, x.dateFinished, x.inWindow]),
        [
          ['web@2', 'production', iso(20), true],
          ['web@1', 'production', iso(180), false],
        ],
      );
      assert.deepEqual(d.eventsByEnvironment, [
        { value: 'production', count: 6 },
        { value: 'staging', count: 4 },
      ]);
      assert.deepEqual(
        d.openIncidents.map((i: any) => i.ref),
        [open],
      );
      assert.deepEqual(
        d.runbooks.map((r: any) => r.id),
        [runbook],
      );
      assert.deepEqual(d.omitted, []);

      // The CLI prints the same report for people, and the API's answer with --json.
      if (backend === 'sqlite') {
        const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: s.token };
        const cli = (...args: string[]) =>
          run(process.execPath, ['bin/firebreak.js', 'diagnostics', ...args], { env });
        const json = await cli('--project', s.project, '--since', '1h', '--json');
        assert.equal(json.code, 0, json.stderr);
        assert.deepEqual(JSON.parse(json.stdout), d);
        const human = await cli('--project', s.project);
        assert.equal(human.code, 0, human.stderr);
        assert.match(
          human.stdout,
          /events: 10 \(0\.17\/min\) against 2 in the 60 min before \(×5\.0\); 2 issues, 1 new/,
        );
        assert.match(human.stdout, new RegExp(`${checkout}\\s+6\\s+0\\.1\\s+×3\\.0\\s+3\\s+TypeError`));
        assert.match(human.stdout, /src\/checkout\.js in checkout:42\s+6/);
        assert.match(human.stdout, /web@2 → production {2}\(in the window\)/);
        assert.match(human.stdout, new RegExp(`${open}\\s+P1\\s+triage`));
        assert.equal((await cli()).code, 2);
        const missing = await cli('--project', 'nope');
        assert.equal(missing.code, 3);

        // A service as incidents name it: a tag value its events carry, or a project's slug.
        await sendEvent(t, s, error(5, 'Error', 'payments', { tags: { service: 'payments' } }));
        for (const name of ['payments', 'service:payments']) {
          const byTag = await cli('--service', name, '--json');
          assert.equal(byTag.code, 0, byTag.stderr);
          const answer = JSON.parse(byTag.stdout);
          assert.deepEqual(
            [answer.tag, answer.projects.map((p: any) => [p.project, p.taggedIssues])],
            ['service:payments', [[s.project, 1]]],
          );
          assert.equal(answer.projects[0].diagnostics.project.slug, s.project);
        }
        const people = await cli('--service', 'payments');
        assert.match(
          people.stdout,
          new RegExp(
            `^service payments: project ${s.project} \\(1 unresolved issue\\(s\\) tagged service:payments\\)$`,
            'm',
          ),
        );
        const bySlug = await cli('--service', s.project, '--json');
        assert.equal(JSON.parse(bySlug.stdout).tag, null);
        const unknown = await cli('--service', 'ledger');
        assert.equal(unknown.code, 3);
        assert.match(
          unknown.stderr,
          /service ledger: no project is named so, and no unresolved issue .* carries service:ledger/,
        );
        assert.equal((await cli('--service', 'payments', '--project', s.project)).code, 2);
      }
    });

    test('scopes, bad windows, other organisations', async () => {
      const s = await t.setup();
      const other = await t.setup();
      const path = `/api/0/projects/${s.org}/${s.project}/diagnostics/`;
      const events = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['event:read'] }));
      const partial = await events.get(path);
      assert.equal(partial.status, 200, JSON.stringify(partial.body));
      assert.equal(partial.body.openIncidents, null);
      assert.equal(partial.body.runbooks, null);
      assert.deepEqual(partial.body.omitted, [
        'openIncidents (needs incident:read)',
        'runbooks (needs incident:read or project:read)',
      ]);
      const incidents = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
      assert.equal((await incidents.get(path)).status, 403);
      const api = apiClient(t.url, s.token);
      assert.equal((await api.get(`${path}?since=3d`)).status, 400);
      assert.match((await api.get(`${path}?since=3d`)).body.detail, /at most 48h/);
      assert.equal((await api.get(`${path}?since=soon`)).status, 400);
      // The example offered must itself be accepted (it said 14d, which is past the 48 h kept).
      assert.match((await api.get(`${path}?since=1y`)).body.detail, /use e\.g\. 30m, 1h, 48h$/);
      assert.equal((await api.get(`${path}?limit=0`)).status, 400);
      assert.equal((await api.get(`/api/0/projects/${s.org}/nope/diagnostics/`)).status, 404);
      assert.equal((await apiClient(t.url, other.token).get(path)).status, 404);
    });
  });
}
