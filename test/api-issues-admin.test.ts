import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, memberWithToken, mintToken, sendEvent } from './helpers/issues.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('issue deletion, organisation isolation and scopes', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  async function issuesOf(s: SetupResult, messages: string[]) {
    for (const message of messages) await sendEvent(t, s, { message, tags: { shard: 'a' } });
    const list = (await apiClient(t.url, s.token).get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
    return messages.map((m) => list.find((i: any) => i.title === m).id as string);
  }

  test('DELETE one issue and many by ?id=: the issue and its events, tags and activity go', async () => {
    const s = await t.setup();
    const [one, two, three, kept] = await issuesOf(s, ['Gone one', 'Gone two', 'Gone three', 'Kept']);
    const api = apiClient(t.url, s.token);
    const store = t.server.ctx.store;
    await api.post(`/api/0/organizations/${s.org}/issues/${one}/comments/`, { text: 'about to go' });

    const single = await api.delete(`/api/0/organizations/${s.org}/issues/${one}/`);
    assert.equal(single.status, 202);
    assert.equal((await api.get(`/api/0/organizations/${s.org}/issues/${one}/`)).status, 404);
    assert.deepEqual(await store.issues.activities(Number(one)), []);
    assert.deepEqual(await store.issues.tagValues(Number(one)), []);

    const bulk = await api.delete(`/api/0/projects/${s.org}/${s.project}/issues/?id=${two}&id=${three}`);
    assert.equal(bulk.status, 204);
    assert.equal(
      await store.events.countForProject(Number(s.projectId)),
      1,
      'only the kept issue has events',
    );
    const left = (await api.get(`/api/0/organizations/${s.org}/issues/?query=`)).body.map((i: any) => i.id);
    assert.deepEqual(left, [kept]);

    const noIds = await api.delete(`/api/0/projects/${s.org}/${s.project}/issues/`);
    assert.equal(noIds.status, 400, 'a bulk delete needs explicit ids');
    assert.equal((await api.get(`/api/0/organizations/${s.org}/issues/${kept}/`)).status, 200);

    // The same event again makes a new issue: its fingerprint went with the old one.
    await sendEvent(t, s, { message: 'Gone one' });
    const again = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/?query=Gone`)).body;
    assert.equal(again.length, 1);
    assert.notEqual(again[0].id, one);
  });

  test("a token of another organisation gets 404 for this organisation's issues, reading or writing", async () => {
    const a = await t.setup();
    const b = await t.setup();
    const [issue] = await issuesOf(a, ['Private to A']);
    const other = apiClient(t.url, b.token);
    const path = `/api/0/organizations/${a.org}/issues/${issue}/`;
    for (const answer of [
      await other.get(path),
      await other.put(path, { status: 'resolved' }),
      await other.delete(path),
      await other.get(`${path}tags/`),
      await other.get(`${path}activities/`),
      await other.post(`${path}comments/`, { text: 'hi' }),
      await other.get(`/api/0/organizations/${a.org}/issues/`),
      await other.put(`/api/0/projects/${a.org}/${a.project}/issues/?id=${issue}`, { status: 'resolved' }),
    ]) {
      assert.equal(answer.status, 404, JSON.stringify(answer.body));
    }
    // Through its own organisation, another organisation's issue id matches nothing.
    const own = await other.put(`/api/0/organizations/${b.org}/issues/?id=${issue}`, { status: 'resolved' });
    assert.equal(own.status, 204);
    assert.equal((await other.get(`/api/0/organizations/${b.org}/issues/${issue}/`)).status, 404);
    assert.equal((await apiClient(t.url, a.token).get(path)).body.status, 'unresolved');
  });

  test('scopes: reading needs event:read, changing event:write, deleting event:admin', async () => {
    const s = await t.setup();
    const [issue] = await issuesOf(s, ['Scoped']);
    const path = `/api/0/organizations/${s.org}/issues/${issue}/`;
    const noEvents = apiClient(
      t.url,
      await mintToken(t, { org: s.org, scopes: ['org:read', 'project:read'] }),
    );
    for (const answer of [
      await noEvents.get(`/api/0/projects/${s.org}/${s.project}/issues/`),
      await noEvents.get(`/api/0/organizations/${s.org}/issues/`),
      await noEvents.get(path),
      await noEvents.get(`${path}tags/`),
    ]) {
      assert.equal(answer.status, 403);
      assert.match(answer.body.detail, /event:read/);
    }
    const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['event:read'] }));
    assert.equal((await reader.get(path)).status, 200);
    assert.equal((await reader.put(path, { status: 'resolved' })).status, 403);
    assert.equal((await reader.post(`${path}comments/`, { text: 'x' })).status, 403);
    const ci = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['org:ci'] }));
    assert.equal((await ci.get(path)).status, 403);
    const writer = apiClient(
      t.url,
      await mintToken(t, { org: s.org, scopes: ['event:read', 'event:write'] }),
    );
    assert.equal((await writer.put(path, { status: 'resolved' })).status, 200);
    assert.equal((await writer.delete(path)).status, 403);
    // A member's own token is capped by the member role, which cannot delete issues.
    const member = await memberWithToken(t, s.org, 'Mo', 'member');
    assert.equal((await apiClient(t.url, member.token).delete(path)).status, 403);
    assert.equal((await apiClient(t.url, s.token).get(path)).body.status, 'resolved');
  });
});
