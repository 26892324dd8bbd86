import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runRetention } from '../src/digest/retention.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

describe('issue lifecycle on ingest: regression and retention', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  async function send(setup: SetupResult, message: string, extra: Record<string, unknown> = {}) {
    const url = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${new URL(setup.dsn).username}`;
    const body = `{}\n{"type":"event"}\n${JSON.stringify({ message, ...extra })}`;
    const response = await fetch(url, { method: 'POST', body });
    assert.equal(response.status, 200);
    return ((await response.json()) as { id: string }).id;
  }

  test('a resolved issue that gets a new event regresses, with an activity row', async () => {
    const setup = await t.setup();
    await send(setup, 'Disk full on /var');
    const [issue] = (
      await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`)
    ).body;
    const store = t.server.ctx.store;
    const resolve = await fetch(`${t.url}/api/0/organizations/${setup.org}/issues/${issue.id}/`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${setup.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'resolved' }),
    });
    assert.equal(resolve.status, 200);
    const regressionEvent = await send(setup, 'Disk full on /var', { release: 'ops@2' });
    const detail = await apiGet(t.url, setup.token, `/api/0/organizations/${setup.org}/issues/${issue.id}/`);
    assert.equal(detail.body.status, 'unresolved');
    assert.equal(detail.body.substatus, 'regressed');
    assert.equal(detail.body.count, '2');
    const activities = await store.issues.activities(Number(issue.id));
    const regression = activities.find((a) => a.type === 'set_regression');
    assert.deepEqual(regression?.data, { eventId: regressionEvent, version: 'ops@2' });
  });

  test("an event without a release keeps the issue's last release", async () => {
    const setup = await t.setup();
    await send(setup, 'Queue stalled', { release: 'worker@7' });
    await send(setup, 'Queue stalled');
    const [issue] = (
      await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`)
    ).body;
    assert.equal(issue.count, '2');
    assert.deepEqual(issue.lastRelease, { version: 'worker@7' });
  });

  test('an event id sent again with other content keeps the first event and creates no issue', async () => {
    const setup = await t.setup();
    const eventId = 'c0ffee00c0ffee00c0ffee00c0ffee00';
    assert.equal(await send(setup, 'Payment declined', { event_id: eventId }), eventId);
    assert.equal(await send(setup, 'Totally different failure', { event_id: eventId }), eventId);
    const issues = (await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`))
      .body as { title: string; count: string }[];
    assert.deepEqual(issues.map((i) => [i.title, i.count]).sort(), [['Payment declined', '1']]);
  });

  test('retention prunes events past the per-issue cap and age; counts survive', async () => {
    const setup = await t.setup();
    const store = t.server.ctx.store;
    await store.projects.update(Number(setup.projectId), { eventsPerIssue: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await send(setup, 'Cache miss storm'));
    // 20 days old, stored with its own date; then the project's retention is cut to 10 days.
    const old = await send(setup, 'Ancient failure', { timestamp: Date.now() / 1000 - 20 * 86_400 });
    await store.projects.update(Number(setup.projectId), { eventMaxAgeDays: 10 });
    // A project that keeps events 10 days: one dated 20 days ago is dated when received, not
    // stored to be pruned by the next pass (its issue would have a count and no event).
    const short = await t.setup();
    await store.projects.update(Number(short.projectId), { eventMaxAgeDays: 10 });
    const late = await send(short, 'Late arrival', { timestamp: Date.now() / 1000 - 20 * 86_400 });
    const result = await runRetention(t.server.ctx);
    assert.ok(await store.events.get(Number(short.projectId), late), 'the late event is kept');
    assert.ok(result.eventsDeleted >= 4, JSON.stringify(result));
    const projectId = Number(setup.projectId);
    assert.equal(await store.events.get(projectId, old), null);
    assert.equal(await store.events.get(projectId, ids[0]), null);
    assert.ok(await store.events.get(projectId, ids[4]));
    const issues = (await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`))
      .body;
    const storm = issues.find((i: any) => i.title === 'Cache miss storm');
    assert.equal(storm.count, '5');
    const latest = await apiGet(
      t.url,
      setup.token,
      `/api/0/organizations/${setup.org}/issues/${storm.id}/events/latest/`,
    );
    assert.equal(latest.body.eventID, ids[4]);
  });
});

describe('back-pressure: when writes fall behind, ingest answers 503 with Retry-After', () => {
  let t: TestServer;
  before(async () => {
    // One pending event at most, and commits held back 300 ms: the second request finds the queue full.
    t = await startTestServer({ settings: { maxPendingEvents: 1, commitBatchDelayMs: 300 } });
  });
  after(() => t.close());

  test('the overflow request is refused, the queued one is committed', async () => {
    const setup = await t.setup();
    const url = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${new URL(setup.dsn).username}`;
    const post = (message: string) =>
      fetch(url, { method: 'POST', body: `{}\n{"type":"event"}\n{"message":"${message}"}` });
    const first = post('queued');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await post('overflow');
    assert.equal(second.status, 503);
    assert.equal(second.headers.get('retry-after'), '1');
    assert.match(((await second.json()) as { detail: string }).detail, /retry later/);
    assert.equal((await first).status, 200);
    const issues = (await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`))
      .body;
    assert.deepEqual(
      issues.map((i: any) => i.title),
      ['queued'],
    );
  });
});
