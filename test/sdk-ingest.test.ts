import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runSdkApp } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

describe('the real @sentry/node SDK against a live server', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  async function issuesOf(setup: { org: string; project: string; token: string }, query = '') {
    const res = await apiGet(
      t.url,
      setup.token,
      `/api/0/projects/${setup.org}/${setup.project}/issues/?query=${query}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body as any[];
  }

  test('errors from different code paths become different issues', async () => {
    const setup = await t.setup();
    const ids = await runSdkApp('paths', { SENTRY_DSN: setup.dsn });
    const issues = await issuesOf(setup);
    assert.equal(issues.length, 2);
    const titles = issues.map((i) => i.title).sort();
    assert.deepEqual(titles, [
      'RangeError: cart is empty',
      "TypeError: Cannot read properties of undefined (reading 'user')",
    ]);
    const rangeError = issues.find((i) => i.title.startsWith('RangeError'));
    assert.equal(rangeError.count, '1');
    assert.match(rangeError.shortId, /^WEB\d+-\d+$/);
    assert.match(rangeError.culprit, /checkout/);
    assert.equal(rangeError.platform, 'node', 'the platform of the event, not of the project');
    assert.match(rangeError.firstSeen, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(typeof rangeError.id, 'string');

    const latest = await apiGet(
      t.url,
      setup.token,
      `/api/0/organizations/${setup.org}/issues/${rangeError.id}/events/latest/`,
    );
    assert.equal(latest.status, 200);
    assert.equal(latest.body.eventID, ids.checkout[0]);
    const exception = latest.body.entries.find((e: any) => e.type === 'exception');
    const frames = exception.data.values[0].stacktrace.frames;
    assert.equal(frames.at(-1).function, 'checkout');
    assert.ok(latest.body.tags.some((tag: any) => tag.key === 'environment' && tag.value === 'production'));
  });

  test('the same error repeated is one issue with the right event and user counts', async () => {
    const setup = await t.setup();
    await runSdkApp('repeat', { SENTRY_DSN: setup.dsn });
    const issues = await issuesOf(setup);
    assert.equal(issues.length, 1);
    assert.equal(issues[0].count, '6');
    assert.equal(issues[0].userCount, 3);
    assert.equal(
      issues[0].stats['24h'].reduce((sum: number, [, n]: [number, number]) => sum + n, 0),
      6,
    );
    // Detail by short id answers the same issue.
    const detail = await apiGet(
      t.url,
      setup.token,
      `/api/0/organizations/${setup.org}/issues/${issues[0].shortId}/`,
    );
    assert.equal(detail.status, 200);
    assert.equal(detail.body.id, issues[0].id);
  });

  test('a custom fingerprint groups different stacks into one issue', async () => {
    const setup = await t.setup();
    await runSdkApp('fingerprint', { SENTRY_DSN: setup.dsn });
    const issues = await issuesOf(setup);
    assert.equal(issues.length, 1);
    assert.equal(issues[0].count, '2');
  });

  test('message events group on the parameterised message and keep their level', async () => {
    const setup = await t.setup();
    await runSdkApp('message', { SENTRY_DSN: setup.dsn });
    const issues = await issuesOf(setup);
    assert.equal(issues.length, 2, JSON.stringify(issues.map((i) => i.title)));
    const login = issues.find((i) => i.title.startsWith('User'));
    assert.ok(login, JSON.stringify(issues.map((i) => [i.title, i.count])));
    assert.equal(login.count, '2');
    assert.equal(login.type, 'default');
    const warning = issues.find((i) => i.title === 'Cache nearly full');
    assert.equal(warning.level, 'warning');
  });

  test('a large event arrives gzipped and is stored whole', async () => {
    const setup = await t.setup();
    const ids = await runSdkApp('large', { SENTRY_DSN: setup.dsn });
    const [issue] = await issuesOf(setup);
    const latest = await apiGet(
      t.url,
      setup.token,
      `/api/0/organizations/${setup.org}/issues/${issue.id}/events/latest/`,
    );
    assert.equal(latest.body.eventID, ids.large[0]);
    for (let i = 0; i < 12; i++)
      assert.ok(latest.body.context[`blob${i}`] === `${i}:`.padEnd(10_000, 'x'), `blob${i}`);
    assert.ok(latest.body.size > 120_000);
  });

  test('release and environment are recorded; sessions are accepted and counted', async () => {
    const setup = await t.setup();
    await runSdkApp('paths', {
      SENTRY_DSN: setup.dsn,
      SENTRY_RELEASE: 'web@1.2.3',
      SENTRY_ENVIRONMENT: 'staging',
    });
    const issues = await issuesOf(setup);
    assert.equal(issues.length, 2);
    for (const issue of issues) assert.deepEqual(issue.firstRelease, { version: 'web@1.2.3' });
    const store = t.server.ctx.store;
    const projectId = Number(setup.projectId);
    assert.deepEqual(
      (await store.releases.listByProject(projectId)).map((r) => r.version),
      ['web@1.2.3'],
    );
    assert.deepEqual(await store.environments.listByProject(projectId), ['staging']);
    const tags = await store.issues.tagValues(Number(issues[0].id));
    assert.ok(tags.some((tag) => tag.key === 'release' && tag.value === 'web@1.2.3'));
    assert.ok(tags.some((tag) => tag.key === 'environment' && tag.value === 'staging'));
    await t.server.ctx.committer.drain();
    const outcomes = await store.outcomes.totals(projectId, 0);
    const sessions = outcomes.find((o) => o.itemType === 'session' && o.outcome === 'accepted');
    assert.ok(sessions && sessions.count >= 1, JSON.stringify(outcomes));
    const processed = outcomes.find((o) => o.itemType === 'event' && o.outcome === 'processed');
    assert.equal(processed?.count, 2);
    // The same counts through the API.
    const viaApi = await apiGet(
      t.url,
      setup.token,
      `/api/0/projects/${setup.org}/${setup.project}/outcomes/?days=1`,
    );
    assert.equal(viaApi.status, 200);
    assert.ok(
      viaApi.body.outcomes.some(
        (o: any) => o.itemType === 'session' && o.outcome === 'accepted' && o.count >= 1,
      ),
    );
    const badDays = await apiGet(
      t.url,
      setup.token,
      `/api/0/projects/${setup.org}/${setup.project}/outcomes/?days=0`,
    );
    assert.equal(badDays.status, 400);
  });
});
