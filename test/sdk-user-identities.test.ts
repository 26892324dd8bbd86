import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { runSdkApp } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

/**
 * @sentry/node users with an id and an email (setUser({id, email})): the id identifies them, and
 * their email still finds their events in Discover, as the MCP server's search_events asks.
 */
describe('user identities from @sentry/node', () => {
  let t: TestServer;
  let s: SetupResult;
  before(async () => {
    t = await startTestServer();
    s = await t.setup();
    await runSdkApp('repeat', { SENTRY_DSN: s.dsn });
  });
  after(() => t.close());

  const discover = async (params: string) => {
    const answer = await apiGet(
      t.url,
      s.token,
      `/api/0/organizations/${s.org}/events/?${params}&statsPeriod=24h`,
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.data as Record<string, unknown>[];
  };

  test('user.email finds events whose user is keyed by id; user.display prefers the email', async () => {
    const byEmail = await discover(
      `field=id&field=user.id&field=user.email&field=user.display&query=${encodeURIComponent('user.email:u1@example.com')}`,
    );
    assert.equal(byEmail.length, 2, JSON.stringify(byEmail));
    for (const row of byEmail) {
      assert.deepEqual(
        [row['user.id'], row['user.email'], row['user.display']],
        ['user-1', 'u1@example.com', 'u1@example.com'],
      );
    }
    const [counted] = await discover('field=count_unique(user.email)&field=count()');
    assert.deepEqual([counted['count_unique(user.email)'], counted['count()']], [3, 6]);
  });

  test('issue search finds the issue by the email of a user keyed by id, as Discover finds its events', async () => {
    const issues = async (query: string) => {
      const answer = await apiGet(
        t.url,
        s.token,
        `/api/0/projects/${s.org}/${s.project}/issues/?query=${encodeURIComponent(query)}`,
      );
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body as { id: string; userCount: number }[];
    };
    const [byId] = await issues('user.id:user-1');
    assert.ok(byId, 'the issue is found by the id');
    assert.deepEqual(
      (await issues('user.email:u1@example.com')).map((i) => i.id),
      [byId.id],
    );
    assert.deepEqual(await issues('user.email:nobody@example.com'), []);
    assert.equal(byId.userCount, 3, 'the extra fields are not counted as users');
  });
});
