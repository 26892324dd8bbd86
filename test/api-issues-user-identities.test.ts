import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, sendEvent, startServerOn } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

/**
 * Issue search by a user's other identities (user_identities): matched in each user's own
 * project, bounded in length like the user's key, whatever characters the key holds.
 */
for (const backend of ['sqlite', 'postgres'] as const)
  describe(`issue search by user identities (${backend})`, () => {
    let t: TestServer;
    before(async () => {
      t = await startServerOn(backend);
    });
    after(() => t.close());

    test("one project's user never matches another project's user of the same id", async () => {
      const web = await t.setup('ids-org', 'web');
      const apiProject = await t.setup('ids-org', 'api');
      await sendEvent(t, web, { message: 'AdaError', user: { id: '42', email: 'ada@example.com' } });
      await sendEvent(t, apiProject, {
        message: 'OtherError',
        user: { id: '42', email: 'other@example.com' },
      });
      const api = apiClient(t.url, web.token);
      const search = async (query: string) => {
        const answer = await api.get(
          `/api/0/organizations/${web.org}/issues/?project=-1&query=${encodeURIComponent(query)}`,
        );
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        return answer.body.map((issue: { title: string }) => issue.title).sort();
      };
      assert.deepEqual(await search('user.email:ada@example.com'), ['AdaError']);
      assert.deepEqual(await search('user.email:other@example.com'), ['OtherError']);
      assert.deepEqual(await search('user.email:*@example.com'), ['AdaError', 'OtherError']);
      assert.deepEqual(await search('!user.email:ada@example.com'), ['OtherError']);
    });

    test('long identities are cut as Relay cuts them, and still found; a key with * is found as it is', async () => {
      const s = await t.setup();
      const long = `${'x'.repeat(4000)}@example.com`;
      // Stored, not a 500: an identity fits an index entry (PostgreSQL's is 2,704 bytes).
      await sendEvent(t, s, { message: 'LongEmail', user: { id: 'u-long', email: long } });
      await sendEvent(t, s, {
        message: 'LongName',
        user: { username: 'y'.repeat(4000), email: 'n@example.com' },
      });
      await sendEvent(t, s, { message: 'Star', user: { id: 'st*r', email: 'star@example.com' } });
      await sendEvent(t, s, { message: 'Padded', user: { id: ' trail ', email: 'trail@example.com' } });
      const api = apiClient(t.url, s.token);
      const search = async (query: string) => {
        const answer = await api.get(
          `/api/0/projects/${s.org}/${s.project}/issues/?query=${encodeURIComponent(query)}`,
        );
        assert.equal(answer.status, 200, JSON.stringify(answer.body));
        return answer.body.map((issue: { title: string }) => issue.title).sort();
      };
      assert.deepEqual(await search(`user.email:${long.slice(0, 128)}`), ['LongEmail']);
      assert.deepEqual(await search('user.email:n@example.com'), ['LongName']);
      assert.deepEqual(await search('user.email:star@example.com'), ['Star']);
      assert.deepEqual(await search('user.email:trail@example.com'), ['Padded']);
      assert.deepEqual(await search('user.id:trail'), ['Padded']);
      assert.deepEqual(await search('has:user.email'), ['LongEmail', 'LongName', 'Padded', 'Star']);
    });
  });
