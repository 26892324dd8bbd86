import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { runSdkApp } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

/**
 * Feature flags the real @sentry/node SDK evaluated before an error (featureFlagsIntegration):
 * searchable as Sentry makes them, `flags[name]:true`, on issues and events (`000_…`: "identify
 * feature-flag factors").
 */
describe('feature flags from @sentry/node', () => {
  let t: TestServer;
  let s: SetupResult;
  before(async () => {
    t = await startTestServer();
    s = await t.setup();
    await runSdkApp('flags', { SENTRY_DSN: s.dsn });
    await runSdkApp('paths', { SENTRY_DSN: s.dsn });
  });
  after(() => t.close());

  const issues = async (query: string) =>
    (
      await apiGet(
        t.url,
        s.token,
        `/api/0/organizations/${s.org}/issues/?query=${encodeURIComponent(query)}&statsPeriod=24h`,
      )
    ).body.map((i: any) => i.title);

  test('issues and events are found by the flags their events carried', async () => {
    // The flagged checkout error is captured from its own call site: an issue of its own.
    assert.equal((await issues('')).length, 3);
    const withFlag = await issues('flags[checkout_v2]:true');
    assert.equal(withFlag.length, 1);
    assert.match(withFlag[0], /cart is empty/);
    assert.deepEqual(await issues('flags["checkout_v2"]:true'), withFlag, 'the quoted form too');
    assert.deepEqual(await issues('flags[checkout_v2]:false'), []);
    assert.deepEqual(await issues('flags[dark_mode]:false'), withFlag);
    const events = await apiGet(
      t.url,
      s.token,
      `/api/0/organizations/${s.org}/events/?field=id&field=title&query=${encodeURIComponent('flags[checkout_v2]:true')}&statsPeriod=24h`,
    );
    assert.equal(events.status, 200, JSON.stringify(events.body));
    assert.equal(events.body.data.length, 1);
  });
});
