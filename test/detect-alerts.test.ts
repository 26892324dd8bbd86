import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { tickDeliveries } from '../src/notify/worker.ts';
import { errorEvent, tick } from './helpers/alerts.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { apiClient, sendEvent } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const SECOND = 1000;
const MINUTE = 60_000;

const error = errorEvent;

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`detectors and actions through real envelopes (${backend})`, () => {
    let t: TestServer;
    let receiver: HttpReceiver;
    const clock = manualClock(T0);
    before(async () => {
      t = await startQuietServer(backend, clock);
      receiver = await startHttpReceiver();
    });
    after(async () => {
      await receiver.close();
      await t.close();
    });

    test('a new issue fires its rules once: a Sentry-shaped webhook, an incident declared with the numbers on its timeline', async () => {
      clock.set(T0);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const target = await api.post(`/api/0/organizations/${s.org}/notification-targets/`, {
        kind: 'webhook',
        name: 'ops',
        url: `${receiver.url}/hook`,
      });
      assert.equal(target.status, 201, JSON.stringify(target.body));
      const rules = `/api/0/projects/${s.org}/${s.project}/alert-rules/`;
      const declare = await api.post(rules, {
        name: 'Declare on new checkout errors',
        detector: 'new_issue',
        filters: { environments: ['production'] },
        actions: [{ type: 'declare_incident', severity: 'P1' }],
      });
      assert.equal(declare.status, 201, JSON.stringify(declare.body));
      await tick(t); // creates the default rules, sets the position

      clock.advance(10 * SECOND);
      await sendEvent(
        t,
        s,
        error('CheckoutError', 'cart is undefined', clock.now(), { environment: 'production' }),
      );
      await sendEvent(t, s, error('StagingOnly', 'boom', clock.now(), { environment: 'staging' }));
      clock.advance(5 * SECOND);
      const first = await tick(t);
      const fired = first.fired.map((f) => `${f.detector}:${f.summary.split(':')[0]}`);
      // The default rule fires for both issues; the declaring rule only for the production one.
      assert.equal(first.fired.length, 3, JSON.stringify(fired));
      const again = await tick(t);
      assert.equal(again.fired.length, 0, 'each firing happens once');
      assert.equal(again.candidates, 0, 'new issues that fired are not looked at again');

      const receivedBefore = receiver.requests.length;
      await tickDeliveries(t.server.ctx);
      await receiver.waitFor(receivedBefore + 2);
      const hooks = receiver.requests.slice(receivedBefore).map((r) => r.json);
      assert.deepEqual(
        hooks.map((h) => [h.action, h.data.triggered_rule]),
        [
          ['triggered', 'New issue'],
          ['triggered', 'New issue'],
        ],
      );
      const checkout = hooks.find((h) => h.data.issue.title.startsWith('CheckoutError'));
      assert.match(checkout.data.issue.shortId, /^[A-Z0-9]+-\d+$/);
      assert.equal(checkout.data.alert.detector, 'new_issue');
      assert.equal(
        checkout.data.issue.permalink,
        `${t.url}/organizations/${s.org}/issues/${checkout.data.issue.id}/`,
      );

      const incidents = (await api.get(`/api/0/organizations/${s.org}/incidents/`)).body;
      assert.equal(incidents.length, 1);
      const [incident] = incidents;
      assert.deepEqual([incident.severity, incident.detectionSource], ['P1', 'alert']);
      assert.deepEqual(
        incident.issues.map((i: any) => i.id),
        [checkout.data.issue.id],
      );
      const timeline = (await api.get(`/api/0/organizations/${s.org}/incidents/${incident.ref}/timeline/`))
        .body;
      const alert = timeline.find((e: any) => e.kind === 'alert');
      assert.match(alert.body, /Declare on new checkout errors.*New issue/);
      assert.equal(alert.actor, 'system');

      const history = (await api.get(`/api/0/organizations/${s.org}/alert-firings/`)).body;
      assert.equal(history.length, 3);
      const declared = history.find((f: any) => f.rule.name === 'Declare on new checkout errors');
      assert.deepEqual(declared.actions, [
        { type: 'declare_incident', declared: true, incident: incident.ref },
      ]);
      const notified = history.filter((f: any) => f.rule.name === 'New issue');
      for (const f of notified)
        assert.deepEqual(f.actions, [{ type: 'notify', targets: [target.body.id], enqueued: 1 }]);
      const ruleFirings = await api.get(`${rules}${declare.body.id}/firings/`);
      assert.deepEqual(
        ruleFirings.body.map((f: any) => f.id),
        [declared.id],
      );
    });

    test('a regression fires and attaches to the open incident; the cooldown holds a flapping issue', async () => {
      clock.set(T0 + 60 * MINUTE);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const rules = `/api/0/projects/${s.org}/${s.project}/alert-rules/`;
      await api.post(rules, {
        name: 'Attach regressions',
        detector: 'regression',
        actions: [{ type: 'attach_incident' }],
      });
      await tick(t);
      await sendEvent(t, s, error('PaymentError', 'declined', clock.now()));
      const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
      const declared = await api.post(`/api/0/organizations/${s.org}/incidents/`, { issues: [issue.id] });
      assert.equal(declared.status, 201);
      const resolve = () =>
        api.put(`/api/0/organizations/${s.org}/issues/${issue.id}/`, { status: 'resolved' });

      assert.equal((await resolve()).status, 200);
      clock.advance(MINUTE);
      await sendEvent(t, s, error('PaymentError', 'declined', clock.now()));
      clock.advance(10 * SECOND);
      const fired = (await tick(t)).fired.filter((f) => f.detector === 'regression');
      assert.equal(fired.length, 2, 'the default rule and the attaching one');
      // The next pass's lookback sees the same regression: found fired by one read, not re-claimed.
      const next = await tick(t);
      assert.equal(next.fired.length, 0);
      assert.equal(next.alreadyFired, 2);
      const attach = fired.find((f) => f.results[0]?.type === 'attach_incident');
      assert.deepEqual(attach?.results, [{ type: 'attach_incident', incidents: [declared.body.ref] }]);
      const timeline = (
        await api.get(`/api/0/organizations/${s.org}/incidents/${declared.body.ref}/timeline/`)
      ).body;
      assert.equal(timeline.filter((e: any) => e.kind === 'alert').length, 1);

      // Resolved and regressed again within both rules' cooldown (default 30 min): nothing fires.
      assert.equal((await resolve()).status, 200);
      clock.advance(MINUTE);
      await sendEvent(t, s, error('PaymentError', 'declined', clock.now()));
      clock.advance(10 * SECOND);
      const attachRule = (await api.get(rules)).body.find((r: any) => r.name === 'Attach regressions');
      assert.equal(attachRule.cooldownMinutes, 30);
      assert.equal((await tick(t)).fired.filter((f) => f.detector === 'regression').length, 0);
    });

    test('a spike of one issue fires with its numbers; a new issue after a deploy names the deploy; users over a threshold', async () => {
      clock.set(T0 + 180 * MINUTE);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const rules = `/api/0/projects/${s.org}/${s.project}/alert-rules/`;
      await api.post(rules, {
        name: 'After deploys',
        detector: 'deploy',
        conditions: { include: ['new_issue'] },
      });
      await api.post(rules, {
        name: 'Many users',
        detector: 'users',
        conditions: { threshold: 5, windowMinutes: 30 },
      });
      await tick(t);
      // A quiet issue: one event every other minute for an hour.
      for (let i = 0; i < 30; i++) {
        clock.advance(2 * MINUTE);
        await sendEvent(t, s, error('SlowQuery', 'timeout', clock.now()));
        if (i % 10 === 9) await tick(t);
      }
      assert.equal((await tick(t)).fired.filter((f) => f.detector === 'spike').length, 0);
      // Then 15 events from 6 users within 30 seconds (in the same minute as the last quiet one).
      for (let i = 0; i < 15; i++) {
        clock.advance(2 * SECOND);
        await sendEvent(t, s, error('SlowQuery', 'timeout', clock.now(), { user: { id: `u${i % 6}` } }));
      }
      const fired = (await tick(t)).fired;
      const spike = fired.find((f) => f.detector === 'spike');
      assert.ok(spike, JSON.stringify(fired.map((f) => f.summary)));
      assert.equal(spike.data.rule, 'Error spike');
      // The minute before held no event: no share of it, so the count is exact.
      assert.deepEqual([spike.data.count, spike.data.countEstimated], [16, false]);
      assert.ok((spike.data.ratio as number) >= 10, JSON.stringify(spike.data));
      assert.match(spike.summary, /Spike in .* SlowQuery: timeout: 16 events in the last 1 min/);
      // Distinct users are counted once a minute: on the first pass of the next minute.
      clock.advance(30 * SECOND);
      const users = (await tick(t)).fired.find((f) => f.detector === 'users');
      assert.deepEqual([users?.data.users, users?.data.threshold], [6, 5]);

      const release = await api.post(`/api/0/organizations/${s.org}/releases/`, {
        version: 'web@2.0.0',
        projects: [s.project],
      });
      assert.equal(release.status, 201);
      const deploy = await api.post(`/api/0/organizations/${s.org}/releases/web@2.0.0/deploys/`, {
        environment: 'production',
        dateFinished: new Date(clock.now()).toISOString(),
      });
      assert.equal(deploy.status, 201, JSON.stringify(deploy.body));
      clock.advance(4 * MINUTE);
      await sendEvent(t, s, error('NewBug', 'after deploy', clock.now(), { release: 'web@2.0.0' }));
      await sendEvent(t, s, error('OtherEnv', 'after deploy', clock.now(), { environment: 'staging' }));
      clock.advance(10 * SECOND);
      const afterDeploy = (await tick(t)).fired.filter((f) => f.detector === 'deploy');
      assert.equal(afterDeploy.length, 1, JSON.stringify(afterDeploy.map((f) => f.summary)));
      assert.match(
        afterDeploy[0].summary,
        /^[A-Z0-9]+-\d+ first seen 4 min after the deploy of web@2\.0\.0 to production: NewBug: after deploy$/,
      );
      assert.deepEqual(afterDeploy[0].data.deploy, {
        id: deploy.body.id,
        release: 'web@2.0.0',
        environment: 'production',
        dateFinished: new Date(clock.now() - 4 * MINUTE - 10 * SECOND).toISOString(),
        minutesAfter: 4,
      });

      // A later deploy to the same environment replaces the first: a new issue after it names
      // it alone, and an issue first seen in a release nobody deployed names no deploy.
      await api.post(`/api/0/organizations/${s.org}/releases/`, {
        version: 'web@2.1.0',
        projects: [s.project],
      });
      const second = await api.post(`/api/0/organizations/${s.org}/releases/web@2.1.0/deploys/`, {
        environment: 'production',
        dateFinished: new Date(clock.now()).toISOString(),
      });
      assert.equal(second.status, 201, JSON.stringify(second.body));
      clock.advance(MINUTE);
      await sendEvent(t, s, error('NewerBug', 'after redeploy', clock.now(), { release: 'web@2.1.0' }));
      await sendEvent(t, s, error('Undeployed', 'elsewhere', clock.now(), { release: 'web@9.9.9' }));
      clock.advance(10 * SECOND);
      const afterRedeploy = (await tick(t)).fired.filter((f) => f.detector === 'deploy');
      assert.deepEqual(
        afterRedeploy.map((f) => f.summary.replace(/^[A-Z0-9]+-\d+ /, '')),
        ['first seen 1 min after the deploy of web@2.1.0 to production: NewerBug: after redeploy'],
      );
    });

    test('a deploy rule made after an issue appeared is not told of it', async () => {
      clock.set(T0 + 900 * MINUTE);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      await api.post(`/api/0/organizations/${s.org}/releases/`, { version: 'late@1', projects: [s.project] });
      await api.post(`/api/0/organizations/${s.org}/releases/late@1/deploys/`, {
        environment: 'production',
        dateFinished: new Date(clock.now()).toISOString(),
      });
      clock.advance(2 * MINUTE);
      await sendEvent(t, s, error('Earlier', 'before the rule', clock.now(), { release: 'late@1' }));
      await tick(t);
      clock.advance(5 * MINUTE);
      const rule = await api.post(`/api/0/projects/${s.org}/${s.project}/alert-rules/`, {
        name: 'After deploys',
        detector: 'deploy',
        conditions: { include: ['new_issue'] },
      });
      assert.equal(rule.status, 201, JSON.stringify(rule.body));
      clock.advance(10 * SECOND);
      assert.deepEqual(
        (await tick(t)).fired.filter((f) => f.detector === 'deploy'),
        [],
      );
    });

    test('inside a minute a spike counts a share of the minute before, and says its count is an estimate', async () => {
      clock.set(T0 + 1200 * MINUTE);
      const s = await t.setup();
      await tick(t);
      for (let i = 0; i < 30; i++) {
        clock.advance(2 * MINUTE);
        await sendEvent(t, s, error('Steady', 'now and then', clock.now()));
        if (i % 10 === 9) await tick(t);
      }
      const burstMinute = clock.now() + 2 * MINUTE; // the minute before it is empty
      clock.set(burstMinute);
      for (let i = 0; i < 9; i++) {
        clock.advance(200);
        await sendEvent(t, s, error('Steady', 'now and then', clock.now()));
      }
      assert.deepEqual((await tick(t)).fired, [], '9 events, the minute before empty: exactly 9');
      clock.set(burstMinute + MINUTE + 3 * SECOND);
      for (let i = 0; i < 5; i++) {
        clock.advance(SECOND);
        await sendEvent(t, s, error('Steady', 'now and then', clock.now()));
      }
      clock.advance(2 * SECOND);
      // 10 s into the next minute: its 5 events and 50/60 of the 9 before, as if spread evenly.
      const fired = (await tick(t)).fired.filter((f) => f.detector === 'spike');
      assert.deepEqual(
        fired.map((f) => f.summary.replace(/^Spike in \S+ /, '').replace(/, .*$/, '')),
        ['Steady: now and then: ~13 events in the last 1 min'],
      );
      assert.deepEqual(
        [fired[0].data.count, fired[0].data.countEstimated, fired[0].data.windowStart],
        [12.5, true, new Date(burstMinute + 10 * SECOND).toISOString()],
      );
    });

    test('an ignored issue spikes without alerting anyone; unignored, it alerts again', async () => {
      clock.set(T0 + 600 * MINUTE);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      await tick(t);
      for (let i = 0; i < 30; i++) {
        clock.advance(2 * MINUTE);
        await sendEvent(t, s, error('Muted', 'noise', clock.now()));
        if (i % 10 === 9) await tick(t);
      }
      await tick(t);
      const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
      const ignored = await api.put(`/api/0/organizations/${s.org}/issues/${issue.id}/`, {
        status: 'ignored',
      });
      assert.equal(ignored.status, 200, JSON.stringify(ignored.body));
      const burst = async () => {
        for (let i = 0; i < 15; i++) {
          clock.advance(2 * SECOND);
          await sendEvent(t, s, error('Muted', 'noise', clock.now()));
        }
        return (await tick(t)).fired.filter((f) => f.detector === 'spike');
      };
      assert.deepEqual(await burst(), [], 'muted: no spike alert');
      await api.put(`/api/0/organizations/${s.org}/issues/${issue.id}/`, { status: 'unresolved' });
      clock.advance(2 * MINUTE);
      assert.equal((await burst()).length, 1, 'unmuted: the next spike alerts');
    });

    test('an issue whose first event was stamped hours before it arrived (an offline cache) fires as new', async () => {
      clock.set(T0 + 600 * MINUTE);
      const s = await t.setup();
      await tick(t); // the default rules exist from now on
      clock.advance(10 * SECOND);
      await sendEvent(t, s, error('CachedOffline', 'sent late', clock.now() - 120 * MINUTE));
      clock.advance(5 * SECOND);
      const fired = (await tick(t)).fired.filter((f) => f.detector === 'new_issue');
      assert.deepEqual(
        fired.map((f) => f.summary.replace(/[A-Z0-9]+-\d+/, 'ID')),
        ['New issue ID: CachedOffline: sent late'],
      );
      assert.equal(fired[0].data.firstSeen, new Date(clock.now() - 5 * SECOND - 120 * MINUTE).toISOString());
    });
  });
}
