import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { runRetention } from '../src/digest/retention.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, sendEvent, startServerOn } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

for (const backend of ['sqlite', 'postgres'] as const)
  describe(`issue updates: status, ignore conditions, release resolutions (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(Date.now());
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    async function newIssue(s: SetupResult, event: Record<string, unknown>) {
      await sendEvent(t, s, event);
      const api = apiClient(t.url, s.token);
      const list = await api.get(`/api/0/projects/${s.org}/${s.project}/issues/?query=`);
      const issue = list.body.find((i: any) => i.title === event.message);
      assert.ok(issue, JSON.stringify(list.body));
      return { api, id: issue.id as string, path: `/api/0/organizations/${s.org}/issues/${issue.id}/` };
    }
    const activityTypes = async (s: SetupResult, id: string) =>
      (
        await apiClient(t.url, s.token).get(`/api/0/organizations/${s.org}/issues/${id}/activities/`)
      ).body.activity.map((a: any) => a.type);

    test('PUT one issue: resolve answers the whole issue; unresolve; activity with the actor', async () => {
      const s = await t.setup();
      const { api, id, path } = await newIssue(s, { message: 'Queue stalled' });
      const resolved = await api.put(path, { status: 'resolved' });
      assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
      assert.equal(resolved.body.id, id);
      assert.equal(resolved.body.status, 'resolved');
      assert.equal(resolved.body.substatus, null);
      assert.deepEqual(resolved.body.statusDetails, {});
      assert.equal(resolved.body.stats['24h'].length, 24);
      assert.equal((await api.get(path)).body.status, 'resolved');

      const again = await api.put(path, { status: 'resolved' });
      assert.equal(again.status, 200);
      const unresolved = await api.put(path, { status: 'unresolved' });
      assert.deepEqual([unresolved.body.status, unresolved.body.substatus], ['unresolved', 'ongoing']);
      const activity = (await api.get(`${path}activities/`)).body.activity;
      assert.deepEqual(
        activity.map((a: any) => a.type),
        ['set_unresolved', 'set_resolved', 'first_seen'],
        'resolving a resolved issue again writes nothing',
      );
      assert.equal(activity[0].user, null, 'a setup token has no user');
      const stored = await t.server.ctx.store.issues.activities(Number(id));
      assert.match(stored[0].actor, /^token:\d+$/);
    });

    test('bulk PUT by ?id= on the organisation; 204 when nothing matches; bad bodies are 400', async () => {
      const s = await t.setup();
      const a = await newIssue(s, { message: 'First bulk problem' });
      const b = await newIssue(s, { message: 'Second bulk problem' });
      const c = await newIssue(s, { message: 'Left alone' });
      const bulk = await a.api.put(`/api/0/organizations/${s.org}/issues/?id=${a.id}&id=${b.id}`, {
        status: 'ignored',
      });
      assert.equal(bulk.status, 200, JSON.stringify(bulk.body));
      assert.deepEqual(bulk.body, { status: 'ignored', substatus: 'archived_forever', statusDetails: {} });
      const statuses = await Promise.all([a, b, c].map(async (x) => (await a.api.get(x.path)).body.status));
      assert.deepEqual(statuses, ['ignored', 'ignored', 'unresolved']);
      assert.deepEqual(
        (await a.api.get(`/api/0/projects/${s.org}/${s.project}/issues/?query=is:ignored`)).body.length,
        2,
      );

      const none = await a.api.put(`/api/0/organizations/${s.org}/issues/?id=999999999`, {
        status: 'resolved',
      });
      assert.equal(none.status, 204);
      const bad = await a.api.put(a.path, { status: 'sleeping' });
      assert.equal(bad.status, 400);
      assert.match(bad.body.detail, /^invalid status: /);
      const nested = await a.api.put(a.path, { status: 'ignored', statusDetails: { ignoreCount: 0 } });
      assert.equal(nested.status, 400);
      assert.match(nested.body.detail, /^invalid statusDetails\.ignoreCount: /);
      // A project of another organisation (or none) is refused, not silently left out (Sentry: 403).
      const foreign = await t.setup();
      const other = await a.api.put(`/api/0/organizations/${s.org}/issues/?project=${foreign.projectId}`, {
        status: 'resolved',
      });
      assert.equal(other.status, 403);
      assert.match(other.body.detail, /You do not have permission to access project/);
      const deleted = await a.api.delete(
        `/api/0/organizations/${s.org}/issues/?id=${c.id}&project=999999999`,
      );
      assert.equal(deleted.status, 403);
      assert.equal((await a.api.get(c.path)).status, 200);
      const merge = await a.api.put(`/api/0/organizations/${s.org}/issues/?id=${a.id}`, { merge: 1 });
      assert.equal(merge.status, 400);
    });

    test('ignored until N more events: the Nth brings it back as escalating, with an activity', async () => {
      const s = await t.setup();
      const event = { message: 'Flaky upstream' };
      const { api, id, path } = await newIssue(s, event);
      // The MCP server's shape: options at the top level.
      const ignored = await api.put(path, {
        status: 'ignored',
        substatus: 'archived_until_condition_met',
        ignoreCount: 3,
      });
      assert.equal(ignored.status, 200, JSON.stringify(ignored.body));
      assert.deepEqual(
        [ignored.body.status, ignored.body.substatus],
        ['ignored', 'archived_until_condition_met'],
      );
      assert.equal(ignored.body.statusDetails.ignoreCount, 3);
      await sendEvent(t, s, event);
      await sendEvent(t, s, event);
      assert.equal((await api.get(path)).body.status, 'ignored', 'two of three');
      const third = await sendEvent(t, s, event);
      const back = (await api.get(path)).body;
      assert.deepEqual([back.status, back.substatus, back.statusDetails], ['unresolved', 'escalating', {}]);
      const escalation = (await t.server.ctx.store.issues.activities(Number(id))).find(
        (a) => a.type === 'set_escalating',
      );
      assert.deepEqual(escalation?.data, { eventId: third, expiredSnooze: { count: 3, window: null } });
      assert.equal(escalation?.actor, 'system');
    });

    test('ignored until N more users, and until escalating: each comes back when its condition is met', async () => {
      const s = await t.setup();
      const users = { message: 'Locale missing', user: { id: 'u0' } };
      const byUsers = await newIssue(s, users);
      await byUsers.api.put(byUsers.path, { status: 'ignored', statusDetails: { ignoreUserCount: 2 } });
      await sendEvent(t, s, users);
      await sendEvent(t, s, { ...users, user: { id: 'u1' } });
      assert.equal((await byUsers.api.get(byUsers.path)).body.status, 'ignored', 'one new user of two');
      await sendEvent(t, s, { ...users, user: { id: 'u2' } });
      assert.equal((await byUsers.api.get(byUsers.path)).body.substatus, 'escalating');

      // One event in the week before: escalating means an hour with at least 10 (2 × 1, at least 10).
      const burst = { message: 'Retry storm' };
      const { api, id, path } = await newIssue(s, burst);
      const ignored = await api.put(path, { status: 'ignored', substatus: 'archived_until_escalating' });
      assert.deepEqual(
        [ignored.body.substatus, ignored.body.statusDetails],
        ['archived_until_escalating', { ignoreUntilEscalating: true }],
      );
      for (let i = 0; i < 9; i++) await sendEvent(t, s, burst);
      assert.equal((await api.get(path)).body.status, 'ignored', 'nine events in the hour');
      await sendEvent(t, s, burst);
      assert.equal((await api.get(path)).body.substatus, 'escalating');
      const escalation = (await t.server.ctx.store.issues.activities(Number(id))).at(-1);
      assert.deepEqual(escalation?.data.expiredSnooze, { escalating: true });
    });

    test('ignored until N events in a window: a burst meets it at once, counts not written yet', async () => {
      const s = await t.setup();
      const event = { message: 'Burst after ignore' };
      const { api, path } = await newIssue(s, event);
      await api.put(path, { status: 'ignored', statusDetails: { ignoreCount: 3, ignoreWindow: 30 } });
      // Within a second: the per-minute counts of the first two are not written yet (decision 0009).
      await sendEvent(t, s, event);
      await sendEvent(t, s, event);
      await sendEvent(t, s, event);
      const back = (await api.get(path)).body;
      assert.deepEqual([back.status, back.substatus], ['unresolved', 'escalating']);
    });

    test('ignored until N events in a week: events older than the minute buckets kept still count', async () => {
      const s = await t.setup();
      const event = { message: 'Weekly batch hiccup' };
      const { api, id, path } = await newIssue(s, event);
      const ignored = await api.put(path, {
        status: 'ignored',
        statusDetails: { ignoreCount: 5, ignoreWindow: 7 * 24 * 60 },
      });
      assert.equal(ignored.status, 200, JSON.stringify(ignored.body));
      const ignoredAt = clock.now();
      await sendEvent(t, s, event);
      await sendEvent(t, s, event);
      // Reading the issue writes its deferred counts (docs/decisions/0009-deferred-counters.md).
      assert.equal((await api.get(path)).body.count, '3');
      clock.advance(3 * DAY);
      await runRetention(t.server.ctx);
      const early = await t.server.ctx.store.issues.buckets(
        [Number(id)],
        'minute',
        ignoredAt - HOUR,
        ignoredAt + HOUR,
      );
      assert.deepEqual(
        early.get(Number(id)) ?? [],
        [],
        'retention pruned the minute buckets of the first two',
      );
      await sendEvent(t, s, event);
      await sendEvent(t, s, event);
      assert.equal((await api.get(path)).body.status, 'ignored', 'four of five in the week');
      await sendEvent(t, s, event);
      const back = (await api.get(path)).body;
      assert.deepEqual([back.status, back.substatus], ['unresolved', 'escalating'], 'the fifth in the week');
    });

    test('ignored for a duration: an event after it brings the issue back, one before does not', async () => {
      const s = await t.setup();
      const event = { message: 'Nightly job slow' };
      const { api, path } = await newIssue(s, event);
      const ignored = await api.put(path, { status: 'ignored', statusDetails: { ignoreDuration: 30 } });
      assert.equal(ignored.body.substatus, 'archived_until_condition_met');
      assert.equal(ignored.body.statusDetails.ignoreUntil, new Date(clock.now() + 30 * MINUTE).toISOString());
      clock.advance(10 * MINUTE);
      await sendEvent(t, s, event);
      assert.equal((await api.get(path)).body.status, 'ignored');
      clock.advance(25 * MINUTE);
      await sendEvent(t, s, event);
      assert.deepEqual(
        [(await api.get(path)).body.status, (await api.get(path)).body.substatus],
        ['unresolved', 'escalating'],
      );
    });

    test('ignored forever (sentry-cli mute) stays ignored whatever arrives', async () => {
      const s = await t.setup();
      const event = { message: 'Known noise' };
      const { api, id, path } = await newIssue(s, event);
      const muted = await api.put(`/api/0/projects/${s.org}/${s.project}/issues/?id=${id}`, {
        status: 'muted',
        snoozeDuration: null,
      });
      assert.equal(muted.status, 200);
      for (let i = 0; i < 3; i++) await sendEvent(t, s, event);
      assert.equal((await api.get(path)).body.status, 'ignored');
      assert.ok(!(await activityTypes(s, id)).includes('set_escalating'));
    });

    test('resolved in the next release: the same release does not regress it, a new one does', async () => {
      const s = await t.setup();
      const event = { message: 'Checkout total wrong', release: 'shop@1.0.0' };
      const { api, id, path } = await newIssue(s, event);
      clock.advance(MINUTE);
      const resolved = await api.put(path, { status: 'resolvedInNextRelease' });
      assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
      assert.deepEqual(
        [resolved.body.status, resolved.body.statusDetails],
        ['resolved', { inNextRelease: true }],
      );
      const activity = (await t.server.ctx.store.issues.activities(Number(id))).at(-1);
      assert.deepEqual([activity?.type, activity?.data], ['set_resolved_in_release', { version: '' }]);

      await sendEvent(t, s, event);
      assert.equal((await api.get(path)).body.status, 'resolved', 'still the release it was resolved in');
      clock.advance(MINUTE);
      const regression = await sendEvent(t, s, { ...event, release: 'shop@1.0.1' });
      const after = (await api.get(path)).body;
      assert.deepEqual([after.status, after.substatus, after.statusDetails], ['unresolved', 'regressed', {}]);
      const regressed = (await t.server.ctx.store.issues.activities(Number(id))).find(
        (a) => a.type === 'set_regression',
      );
      assert.deepEqual(regressed?.data, { eventId: regression, version: 'shop@1.0.1' });
    });

    test('a bulk status change reads each project’s latest release and the escalation counts once, not per issue', async () => {
      const s = await t.setup();
      const problems = [];
      for (const message of ['Bulk one', 'Bulk two', 'Bulk three'])
        problems.push(await newIssue(s, { message, release: 'bulk@1' }));
      const ids = problems.map((p) => `id=${p.id}`).join('&');
      const store = t.server.ctx.store;
      const reads = { releases: 0, buckets: 0 };
      const { list } = store.releases;
      const { latestReleases, buckets } = store.issues;
      store.releases.list = (query) => {
        reads.releases++;
        return list(query);
      };
      store.issues.latestReleases = (orgId, projectIds) => {
        reads.releases++;
        return latestReleases(orgId, projectIds);
      };
      store.issues.buckets = (...args) => {
        reads.buckets++;
        return buckets(...args);
      };
      try {
        const resolved = await problems[0].api.put(`/api/0/organizations/${s.org}/issues/?${ids}`, {
          status: 'resolved',
          statusDetails: { inNextRelease: true },
        });
        assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
        assert.deepEqual(reads, { releases: 1, buckets: 0 });
        const ignored = await problems[0].api.put(`/api/0/organizations/${s.org}/issues/?${ids}`, {
          status: 'ignored',
          substatus: 'archived_until_escalating',
        });
        assert.equal(ignored.status, 200, JSON.stringify(ignored.body));
        assert.deepEqual(reads, { releases: 1, buckets: 1 });
      } finally {
        store.releases.list = list;
        store.issues.latestReleases = latestReleases;
        store.issues.buckets = buckets;
      }
      // One event each in the week before: escalating means at least 10 in an hour.
      const workflows = await store.issues.workflow(problems.map((p) => Number(p.id)));
      for (const { statusDetails } of workflows.values())
        assert.equal(statusDetails?.kind === 'ignored' && statusDetails.escalationThreshold, 10);
      assert.equal(workflows.size, 3);
    });

    test('resolved in a named release: older releases keep it resolved; next release needs a release', async () => {
      const s = await t.setup();
      const old = { message: 'Avatar upload fails', release: 'app@1' };
      const { api, path } = await newIssue(s, old);
      clock.advance(MINUTE);
      await sendEvent(t, s, { message: 'Unrelated', release: 'app@2' });
      const resolved = await api.put(path, { status: 'resolved', statusDetails: { inRelease: 'app@2' } });
      assert.deepEqual(resolved.body.statusDetails, { inRelease: 'app@2' });
      await sendEvent(t, s, old);
      assert.equal((await api.get(path)).body.status, 'resolved', 'app@1 predates the fix');
      await sendEvent(t, s, { ...old, release: 'app@2' });
      assert.equal((await api.get(path)).body.substatus, 'regressed', 'the fixed release still fails');

      const unknown = await api.put(path, { status: 'resolved', statusDetails: { inRelease: 'app@9' } });
      assert.equal(unknown.status, 400);
      const latest = await api.put(path, { status: 'resolved', statusDetails: { inRelease: 'latest' } });
      assert.deepEqual(latest.body.statusDetails, { inRelease: 'app@2' });
      const bare = await t.setup();
      const noRelease = await newIssue(bare, { message: 'No releases here' });
      const refused = await noRelease.api.put(noRelease.path, { status: 'resolvedInNextRelease' });
      assert.equal(refused.status, 400);
      assert.match(refused.body.detail, /next release/);
    });
  });
