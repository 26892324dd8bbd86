import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateUserToken, hashToken, tokenPrefix } from '../src/auth/tokens.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

describe('issue read API: auth, isolation, pagination', () => {
  let t: TestServer;
  let a: SetupResult;
  let b: SetupResult;
  before(async () => {
    t = await startTestServer();
    a = await t.setup();
    b = await t.setup();
    const url = `${t.url}/api/${a.projectId}/envelope/?sentry_key=${new URL(a.dsn).username}`;
    for (const message of ['first problem', 'second problem', 'third problem']) {
      const body = `{}\n{"type":"event"}\n${JSON.stringify({ message, exception: { values: [{ type: 'E', value: message }] } })}`;
      assert.equal((await fetch(url, { method: 'POST', body })).status, 200);
    }
  });
  after(() => t.close());

  const issuesPath = (s: SetupResult, q = '') => `/api/0/projects/${s.org}/${s.project}/issues/${q}`;

  test('no token or a wrong token → 401 with detail', async () => {
    const none = await fetch(`${t.url}${issuesPath(a)}`);
    assert.equal(none.status, 401);
    assert.ok(((await none.json()) as { detail: string }).detail);
    const wrong = await apiGet(t.url, 'sntryu_' + '0'.repeat(64), issuesPath(a));
    assert.equal(wrong.status, 401);
  });

  test("a token never reads another organisation's issues", async () => {
    const res = await apiGet(t.url, b.token, issuesPath(a));
    assert.equal(res.status, 404);
    const issue = (await apiGet(t.url, a.token, issuesPath(a))).body[0];
    const detail = await apiGet(t.url, b.token, `/api/0/organizations/${a.org}/issues/${issue.id}/`);
    assert.equal(detail.status, 404);
    // Through its own org slug, another org's issue id is simply not there.
    const crossId = await apiGet(t.url, b.token, `/api/0/organizations/${b.org}/issues/${issue.id}/`);
    assert.equal(crossId.status, 404);
  });

  test('a token without event:read scope is refused', async () => {
    const token = generateUserToken();
    const org = await t.server.ctx.store.orgs.getBySlug(a.org);
    await t.server.ctx.store.tokens.create({
      kind: 'user',
      orgId: org!.id,
      userId: null,
      name: 'narrow',
      scopes: ['org:read'],
      tokenHash: hashToken(token),
      tokenPrefix: tokenPrefix(token),
      createdAt: Date.now(),
    });
    const res = await apiGet(t.url, token, issuesPath(a));
    assert.equal(res.status, 403);
    assert.match(res.body.detail, /event:read/);
  });

  test('cursor pagination walks every issue once via the Link header', async () => {
    const seen: string[] = [];
    let path = issuesPath(a, '?limit=1');
    for (let page = 0; page < 5; page++) {
      const res = await apiGet(t.url, a.token, path);
      assert.equal(res.status, 200);
      seen.push(...res.body.map((i: any) => i.title));
      const next = /<([^>]+)>; rel="next"; results="(true|false)"/.exec(res.headers.get('link') ?? '');
      assert.ok(next, res.headers.get('link') ?? 'no link header');
      if (next[2] === 'false') break;
      path = new URL(next[1]).pathname + new URL(next[1]).search;
    }
    assert.deepEqual(seen.sort(), ['E: first problem', 'E: second problem', 'E: third problem']);
  });

  test('bad query input → 400 naming the problem; unknown issue → 404', async () => {
    const bad = await apiGet(t.url, a.token, issuesPath(a, '?query=frobnicate:yes'));
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /frobnicate:yes/);
    const badPeriod = await apiGet(t.url, a.token, issuesPath(a, '?statsPeriod=7y'));
    assert.equal(badPeriod.status, 400);
    const missing = await apiGet(t.url, a.token, `/api/0/organizations/${a.org}/issues/999999/`);
    assert.equal(missing.status, 404);
    assert.match(missing.body.detail, /not found/);
  });

  test('GET /api/0/ reports the token scopes (sentry-cli info)', async () => {
    const res = await apiGet(t.url, a.token, '/api/0/');
    assert.equal(res.status, 200);
    assert.ok(res.body.auth.scopes.includes('event:read'));
  });
});
