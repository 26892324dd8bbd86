import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { sendEnvelope, sessionItem, tick } from './helpers/alerts.ts';
import { apiClient } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import { runSdkApp } from './helpers/run.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const MINUTE = 60_000;

/**
 * `count` sessions of a release from distinct users: each starts (`init`), the first `crashed`
 * crash, the next `errored` end with a handled error, the rest exit cleanly. Sent as a browser
 * SDK does: one envelope per update, several updates per session.
 */
async function sendSessions(
  t: TestServer,
  s: Awaited<ReturnType<TestServer['setup']>>,
  release: string,
  counts: { total: number; crashed: number; errored: number },
  started: number,
) {
  const items: [string, unknown][] = [];
  for (let i = 0; i < counts.total; i++) {
    const sid = `${release}-${i}`;
    const base = { release, did: `user-${i}`, started };
    items.push(['session', sessionItem(sid, { ...base, init: true })]);
    if (i < counts.crashed) {
      // A handled error first, then the crash: counted once, as crashed.
      items.push(['session', sessionItem(sid, { ...base, errors: 1 })]);
      items.push(['session', sessionItem(sid, { ...base, status: 'crashed', errors: 2 })]);
    } else if (i < counts.crashed + counts.errored) {
      items.push(['session', sessionItem(sid, { ...base, errors: 1 })]);
      items.push(['session', sessionItem(sid, { ...base, status: 'exited', errors: 1 })]);
    } else {
      items.push(['session', sessionItem(sid, { ...base, status: 'exited' })]);
    }
  }
  for (let i = 0; i < items.length; i += 100) await sendEnvelope(t, s, items.slice(i, i + 100));
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`release health (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startQuietServer(backend, clock);
    });
    after(() => t.close());

    test('sessions are counted once per session under their final status; releases show healthData', async () => {
      clock.set(T0);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      await sendSessions(t, s, 'web@1.0.0', { total: 200, crashed: 2, errored: 8 }, T0 - 30 * MINUTE);
      // Server-mode aggregates (@sentry/node request sessions) add to the same release.
      await sendEnvelope(t, s, [
        [
          'sessions',
          {
            aggregates: [
              { started: new Date(T0 - 20 * MINUTE).toISOString(), exited: 40, errored: 5, crashed: 0 },
              {
                started: new Date(T0 - 10 * MINUTE).toISOString(),
                did: 'server-user',
                exited: 45,
                crashed: 0,
              },
            ],
            attrs: { release: 'web@1.0.0', environment: 'production' },
          },
        ],
        // Unusable ones are dropped without failing the envelope: no release, no sid, too old.
        ['session', { sid: 'x', init: true, started: new Date(T0).toISOString(), attrs: {} }],
        ['session', { init: true, started: new Date(T0).toISOString(), attrs: { release: 'web@1.0.0' } }],
        [
          'session',
          sessionItem('old', { release: 'web@1.0.0', init: true, started: T0 - 6 * 24 * 60 * MINUTE }),
        ],
      ]);

      const detail = await api.get(`/api/0/projects/${s.org}/${s.project}/releases/web@1.0.0/`);
      assert.equal(detail.status, 200, JSON.stringify(detail.body));
      const [project] = detail.body.projects;
      assert.equal(project.hasHealthData, true);
      const health = project.healthData;
      assert.deepEqual(
        [health.totalSessions, health.sessionsCrashed, health.sessionsErrored, health.totalUsers],
        [290, 2, 13, 201],
      );
      const percent = (part: number, whole: number) => Math.round(((100 * part) / whole) * 10_000) / 10_000;
      assert.equal(health.crashFreeSessions, percent(288, 290));
      assert.equal(health.crashFreeUsers, percent(199, 201));
      assert.equal(health.totalSessions24h, 290);
      assert.equal(health.sessionsAdoption, 100);

      const plain = await api.get(`/api/0/organizations/${s.org}/releases/`);
      assert.deepEqual(
        plain.body.map((r: any) => [r.version, r.projects[0].hasHealthData, 'healthData' in r.projects[0]]),
        [['web@1.0.0', true, false]],
      );
      const withHealth = await api.get(`/api/0/organizations/${s.org}/releases/?health=1`);
      assert.equal(withHealth.body[0].projects[0].healthData.totalSessions, 290);
    });

    test('outcomes are honest: the event processed, a usable session accepted, an unusable one invalid', async () => {
      clock.set(T0);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const eventId = 'c0ffee00c0ffee00c0ffee00c0ffee00';
      const started = T0 - 5 * MINUTE;
      await sendEnvelope(t, s, [
        ['event', { event_id: eventId, message: 'checkout failed', level: 'error', release: 'shop@3' }],
        ['session', sessionItem('usable', { release: 'shop@3', did: 'u1', init: true, started })],
        // No release: Relay discards it, so it is not "accepted".
        ['session', { sid: 'unusable', init: true, started: new Date(started).toISOString(), attrs: {} }],
      ]);
      await t.server.ctx.committer.drain();

      const outcomes = await api.get(`/api/0/projects/${s.org}/${s.project}/outcomes/?days=1`);
      assert.equal(outcomes.status, 200, JSON.stringify(outcomes.body));
      assert.deepEqual(
        outcomes.body.outcomes.map((o: any) => [o.itemType, o.outcome, o.count]),
        [
          ['event', 'processed', 1],
          ['session', 'accepted', 1],
          ['session', 'invalid', 1],
        ],
      );
      const event = await api.get(`/api/0/projects/${s.org}/${s.project}/events/${eventId}/`);
      assert.equal(event.status, 200, JSON.stringify(event.body));
      assert.equal(event.body.eventID, eventId);
      const release = await api.get(`/api/0/projects/${s.org}/${s.project}/releases/shop@3/`);
      assert.equal(release.status, 200, JSON.stringify(release.body));
      assert.deepEqual(
        [release.body.projects[0].healthData.totalSessions, release.body.projects[0].healthData.totalUsers],
        [1, 1],
      );
    });

    test('a release with worse crash-free sessions than the one before it fires the default rule, once', async () => {
      clock.set(T0 + 600 * MINUTE);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      await tick(t);
      await sendSessions(t, s, 'api@1', { total: 150, crashed: 0, errored: 3 }, clock.now() - 120 * MINUTE);
      await sendSessions(t, s, 'api@2', { total: 120, crashed: 6, errored: 0 }, clock.now() - 30 * MINUTE);
      clock.advance(MINUTE);
      const fired = (await tick(t)).fired.filter((f) => f.detector === 'release_health');
      assert.equal(fired.length, 1);
      assert.equal(fired[0].subject, 'release:api@2@production');
      assert.match(
        fired[0].summary,
        /^api@2 \(production\): 95\.00 % crash-free sessions, 100\.00 % in api@1$/,
      );
      assert.deepEqual(
        [fired[0].data.value, fired[0].data.previousValue, fired[0].data.sessions, fired[0].data.crashed],
        [95, 100, 120, 6],
      );
      clock.advance(MINUTE);
      assert.equal((await tick(t)).fired.filter((f) => f.detector === 'release_health').length, 0);
      const history = (await api.get(`/api/0/organizations/${s.org}/alert-firings/?project=${s.project}`))
        .body;
      assert.deepEqual(
        history.map((f: any) => [f.detector, f.rule.name]),
        [['release_health', 'Crash-free sessions worse than the previous release']],
      );
    });

    test('the real @sentry/node SDK’s session is recorded for its release', async () => {
      clock.set(Date.now());
      const s = await t.setup();
      await runSdkApp('paths', {
        SENTRY_DSN: s.dsn,
        SENTRY_RELEASE: 'sdk@1.2.3',
        SENTRY_ENVIRONMENT: 'staging',
      });
      const [totals] = await t.server.ctx.store.releaseHealth.totals({
        projectIds: [Number(s.projectId)],
        byEnvironment: true,
      });
      assert.deepEqual([totals?.release, totals?.environment], ['sdk@1.2.3', 'staging']);
      assert.equal(totals.sessions, 1);
      // Two handled exceptions: the session had errors.
      assert.equal(totals.errored, 1);
    });
  });
}
