import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { errorEvent, tick } from './helpers/alerts.ts';
import { apiClient, sendEvent } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-24T09:00:00Z');
const SECOND = 1000;
const MINUTE = 60_000;

const error = errorEvent;

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`a rule enabled again (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startQuietServer(backend, clock);
    });
    after(() => t.close());

    test('judges only what happens after it is enabled again, as a new rule does', async () => {
      clock.set(T0);
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const rules = `/api/0/projects/${s.org}/${s.project}/alert-rules/`;
      await tick(t); // the default rules exist from now on
      const made = await Promise.all([
        api.post(rules, { name: 'Ten-minute spikes', detector: 'spike', conditions: { windowMinutes: 10 } }),
        api.post(rules, {
          name: 'After deploys',
          detector: 'deploy',
          conditions: { include: ['new_issue'] },
        }),
        api.post(rules, {
          name: 'Many users',
          detector: 'users',
          conditions: { threshold: 5, windowMinutes: 30 },
        }),
      ]);
      for (const rule of made) assert.equal(rule.status, 201, JSON.stringify(rule.body));
      const listed = (await api.get(rules)).body as { id: string; name: string }[];
      const watched = ['New issue', 'Regression', 'Ten-minute spikes', 'After deploys', 'Many users'].map(
        (name) => listed.find((r) => r.name === name)!.id,
      );
      const setEnabled = async (enabled: boolean) => {
        for (const id of watched) {
          const answer = await api.put(`${rules}${id}/`, { enabled });
          assert.equal(answer.status, 200, JSON.stringify(answer.body));
          assert.equal(answer.body.enabled, enabled);
        }
      };
      const firedByWatched = async () =>
        (await tick(t)).fired.filter((f) => watched.includes(String(f.ruleId))).map((f) => f.summary);

      // A flaky issue, resolved; and an hour of a quiet one (one event every other minute).
      await sendEvent(t, s, error('Flaky', 'sometimes', clock.now()));
      const [flaky] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
      assert.equal(
        (await api.put(`/api/0/organizations/${s.org}/issues/${flaky.id}/`, { status: 'resolved' })).status,
        200,
      );
      for (let i = 0; i < 30; i++) {
        clock.advance(2 * MINUTE);
        await sendEvent(t, s, error('Quiet', 'now and then', clock.now()));
        if (i % 10 === 9) await tick(t);
      }
      await tick(t);

      await setEnabled(false);
      // While the rules are off: a deploy, a new issue after it, the flaky issue regressing, and
      // the quiet one bursting (25 events from 6 users in 50 seconds).
      await api.post(`/api/0/organizations/${s.org}/releases/`, { version: 'off@1', projects: [s.project] });
      const deploy = await api.post(`/api/0/organizations/${s.org}/releases/off@1/deploys/`, {
        environment: 'production',
        dateFinished: new Date(clock.now()).toISOString(),
      });
      assert.equal(deploy.status, 201, JSON.stringify(deploy.body));
      clock.advance(MINUTE);
      await sendEvent(t, s, error('WhileOff', 'nobody listening', clock.now(), { release: 'off@1' }));
      await sendEvent(t, s, error('Flaky', 'sometimes', clock.now()));
      for (let i = 0; i < 25; i++) {
        clock.advance(2 * SECOND);
        await sendEvent(t, s, error('Quiet', 'now and then', clock.now(), { user: { id: `u${i % 6}` } }));
      }
      clock.advance(10 * SECOND);
      assert.deepEqual(await firedByWatched(), [], 'disabled rules fire nothing');

      clock.advance(3 * MINUTE);
      await setEnabled(true);
      clock.advance(10 * SECOND);
      assert.deepEqual(await firedByWatched(), [], 'enabled again: nothing from while it was off');
      clock.advance(MINUTE);
      assert.deepEqual(
        await firedByWatched(),
        [],
        'nor on the next minute (users are counted once a minute)',
      );

      // What happens after it is enabled again does fire.
      await sendEvent(t, s, error('AfterOn', 'listening again', clock.now(), { release: 'off@1' }));
      clock.advance(10 * SECOND);
      const after = await firedByWatched();
      assert.deepEqual(
        after.map((summary) =>
          summary.replace(/[A-Z0-9]+-\d+/, 'ID').replace(/ \d+ min after/, ' N min after'),
        ),
        [
          'New issue ID: AfterOn: listening again',
          'ID first seen N min after the deploy of off@1 to production: AfterOn: listening again',
        ],
      );
    });
  });
}
