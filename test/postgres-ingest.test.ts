import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createPostgresTestDatabase } from '../src/store/test-databases.ts';
import { run, runSdkApp } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

/** The same end-to-end path as on SQLite, on a real PostgreSQL: the scale backend is not a second-class one. */
describe('ingest end to end on PostgreSQL', () => {
  let t: TestServer;
  let dropDatabase: () => Promise<void>;
  before(async () => {
    const database = await createPostgresTestDatabase();
    dropDatabase = database.cleanup;
    t = await startTestServer({ databaseUrl: database.url });
  });
  after(async () => {
    await t.close();
    await dropDatabase();
  });

  test('@sentry/node errors group into issues with counts, users and releases', async () => {
    const setup = await t.setup();
    await runSdkApp('paths', { SENTRY_DSN: setup.dsn, SENTRY_RELEASE: 'api@3.1.0' });
    await runSdkApp('repeat', { SENTRY_DSN: setup.dsn, SENTRY_RELEASE: 'api@3.1.0' });
    const res = await apiGet(
      t.url,
      setup.token,
      `/api/0/projects/${setup.org}/${setup.project}/issues/?sort=freq`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 3);
    const [top] = res.body;
    assert.equal(top.count, '6');
    assert.equal(top.userCount, 3);
    assert.deepEqual(top.firstRelease, { version: 'api@3.1.0' });
    const latest = await apiGet(
      t.url,
      setup.token,
      `/api/0/organizations/${setup.org}/issues/${top.shortId}/events/latest/`,
    );
    assert.equal(latest.status, 200);
    assert.match(latest.body.title, /invoice for order/);
  });

  test('sentry-cli send-event lands on PostgreSQL too', async () => {
    const setup = await t.setup();
    const result = await run(
      'node_modules/.bin/sentry-cli',
      ['send-event', '--no-environ', '-m', 'queue backlog 5123 jobs'],
      {
        env: { SENTRY_DSN: setup.dsn, SENTRY_DISABLE_UPDATE_CHECK: 'true' },
      },
    );
    assert.equal(result.code, 0, result.stderr);
    const res = await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`);
    assert.deepEqual(
      res.body.map((i: any) => i.title),
      ['queue backlog 5123 jobs'],
    );
  });

  test('NUL characters in event text are stored (as U+FFFD), not a 500', async () => {
    const setup = await t.setup();
    const url = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${new URL(setup.dsn).username}`;
    const event = {
      exception: { values: [{ type: 'Bad\u0000Type', value: 'nul \u0000 inside' }] },
      tags: { 'k\u0000': 'v\u0000' },
    };
    const response = await fetch(url, {
      method: 'POST',
      body: `{}\n{"type":"event"}\n${JSON.stringify(event)}`,
    });
    assert.equal(response.status, 200);
    const res = await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`);
    assert.equal(res.body[0].title, 'Bad\uFFFDType: nul \uFFFD inside');
  });
});
