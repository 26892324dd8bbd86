import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, sendEvent, startServerOn } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

const HOUR = 3_600_000;

/** Whole seconds, so the dates the API answers compare exactly. */
const at = (ms: number) => Math.floor(ms / 1000) * 1000;

for (const backend of ['sqlite', 'postgres'] as const)
  describe(`first and last seen follow events that arrive out of order (${backend})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startServerOn(backend);
    });
    after(() => t.close());

    test('an older event moves first seen back, a newer one moves last seen on: issue and release', async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const now = at(Date.now());
      // Sent one by one: each is its own transaction, as a late SDK retry would be.
      for (const offset of [-1 * HOUR, -3 * HOUR, -2 * HOUR, -HOUR / 2]) {
        await sendEvent(t, s, { message: 'Clock skew', release: 'api@1', timestamp: (now + offset) / 1000 });
      }
      const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
      assert.equal(issue.count, '4');
      assert.equal(Date.parse(issue.firstSeen), now - 3 * HOUR);
      assert.equal(Date.parse(issue.lastSeen), now - HOUR / 2);
      const release = (await api.get(`/api/0/organizations/${s.org}/releases/api@1/`)).body;
      assert.equal(Date.parse(release.firstEvent), now - 3 * HOUR);
      assert.equal(Date.parse(release.lastEvent), now - HOUR / 2);
    });
  });
