import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/config.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

/**
 * The client address behind a reverse proxy: SDKs send `ip_address: "{{auto}}"`, and the user an
 * event counts is that address. X-Forwarded-For is believed only from FIREBREAK_TRUST_PROXY.
 */
async function sendFrom(t: TestServer, s: SetupResult, forwardedFor: string) {
  const url = `${t.url}/api/${s.projectId}/store/?sentry_key=${new URL(s.dsn).username}`;
  const answer = await fetch(url, {
    method: 'POST',
    headers: { 'X-Forwarded-For': forwardedFor },
    body: JSON.stringify({ message: 'behind the proxy', user: { ip_address: '{{auto}}' } }),
  });
  assert.equal(answer.status, 200, await answer.text());
}

async function latestUserIp(t: TestServer, s: SetupResult): Promise<unknown> {
  const [issue] = (await apiGet(t.url, s.token, `/api/0/projects/${s.org}/${s.project}/issues/`)).body;
  const latest = await apiGet(
    t.url,
    s.token,
    `/api/0/organizations/${s.org}/issues/${issue.id}/events/latest/`,
  );
  return latest.body.user?.ip_address;
}

describe('client address behind a reverse proxy', () => {
  let trusting: TestServer;
  let plain: TestServer;
  before(async () => {
    trusting = await startTestServer({ settings: { trustProxy: '127.0.0.1' } });
    plain = await startTestServer();
  });
  after(async () => {
    await trusting.close();
    await plain.close();
  });

  test("a trusted proxy's X-Forwarded-For names the client; otherwise the connection does", async () => {
    const behind = await trusting.setup();
    await sendFrom(trusting, behind, '203.0.113.7');
    assert.equal(await latestUserIp(trusting, behind), '203.0.113.7');
    const direct = await plain.setup();
    await sendFrom(plain, direct, '203.0.113.7');
    assert.equal(await latestUserIp(plain, direct), '127.0.0.1', 'a header anyone can send is not believed');
  });

  test('FIREBREAK_TRUST_PROXY takes addresses and CIDR ranges, and refuses anything else', () => {
    assert.deepEqual(loadConfig({}, { FIREBREAK_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,fd00::/8' }).trustProxy, [
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    assert.equal(loadConfig({}, {}).trustProxy, undefined);
    for (const bad of ['true', 'proxy.local', '10.0.0.0/33', '10.0.0.1/8/2', '::1/129']) {
      assert.throws(() => loadConfig({}, { FIREBREAK_TRUST_PROXY: bad }), /FIREBREAK_TRUST_PROXY/, bad);
    }
  });
});
