import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type SetupResult, setupProject } from '../src/projects/setup-project.ts';
import { type OpenedTestStore, testBackends } from '../src/store/test-databases.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** A Web API call; JSON in and out, like sentry-cli and the MCP server (which sends a JSON content type even without a body). */
async function api(base: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === '' ? null : (JSON.parse(text) as any),
  };
}

const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('accounts API: organisations, teams, projects, keys (Sentry shapes)', () => {
  let t: TestServer;
  let a: SetupResult;
  let call: (method: string, path: string, body?: unknown) => ReturnType<typeof api>;
  before(async () => {
    t = await startTestServer();
    a = await t.setup();
    call = (method, path, body) => api(t.url, a.token, method, path, body);
  });
  after(() => t.close());

  const ingest = (projectId: string | number, publicKey: string) =>
    fetch(`${t.url}/api/${projectId}/envelope/?sentry_key=${publicKey}`, {
      method: 'POST',
      body: `{}\n{"type":"event"}\n{"message":"hello"}`,
    }).then((r) => r.status);

  test('organisation list and detail carry what sentry-cli and the MCP server require', async () => {
    const list = await call('GET', '/api/0/organizations/');
    assert.equal(list.status, 200);
    assert.match(list.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(list.headers.get('link') ?? '', /rel="next"; results="false"/);
    assert.deepEqual(
      list.body.map((o: any) => o.slug),
      [a.org],
    );
    const [org] = list.body;
    assert.equal(typeof org.id, 'string');
    assert.match(org.dateCreated, ISO_Z);
    assert.deepEqual(
      [org.isEarlyAdopter, org.require2FA, org.requireEmailVerification, org.features],
      [false, false, false, []],
    );
    assert.deepEqual(org.status, { id: 'active', name: 'active' });
    assert.deepEqual(org.links, { organizationUrl: `${t.url}/organizations/${a.org}/`, regionUrl: '' });

    const detail = await call('GET', `/api/0/organizations/${a.org}/`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.slug, a.org);
    assert.ok(detail.body.access.includes('project:write'));
  });

  test('teams: create from a name, duplicate → 409, list with and without projects', async () => {
    const created = await call('POST', `/api/0/organizations/${a.org}/teams/`, { name: 'Backend Team' });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.slug, created.body.name], ['backend-team', 'Backend Team']);
    assert.equal(typeof created.body.id, 'string');
    assert.match(created.body.dateCreated, ISO_Z);
    assert.deepEqual(created.body.projects, []);

    const again = await call('POST', `/api/0/organizations/${a.org}/teams/`, { slug: 'backend-team' });
    assert.equal(again.status, 409);
    assert.match(again.body.detail, /already exists/);
    const bad = await call('POST', `/api/0/organizations/${a.org}/teams/`, { slug: 'Not A Slug' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /slug/);

    const listed = await call('GET', `/api/0/organizations/${a.org}/teams/`);
    assert.deepEqual(
      listed.body.map((team: any) => [team.slug, team.memberCount, team.isMember, team.projects]),
      [['backend-team', 0, false, []]],
    );
    const brief = await call('GET', `/api/0/organizations/${a.org}/teams/?detailed=0&query=BACKEND`);
    assert.equal(brief.body.length, 1);
    assert.equal('projects' in brief.body[0], false);
    const none = await call('GET', `/api/0/organizations/${a.org}/teams/?query=frontend`);
    assert.deepEqual(none.body, []);
  });

  test('a project created through its team gets a working Default key; projects list and detail show the team', async () => {
    await call('POST', `/api/0/organizations/${a.org}/teams/`, { slug: 'mobile' });
    const created = await call('POST', `/api/0/teams/${a.org}/mobile/projects/`, {
      name: 'iOS App',
      platform: 'apple-ios',
    });
    assert.equal(created.status, 201);
    assert.deepEqual(
      [created.body.slug, created.body.platform, created.body.team, created.body.organization.slug],
      ['ios-app', 'apple-ios', { id: created.body.teams[0].id, slug: 'mobile', name: 'mobile' }, a.org],
    );
    const keys = await call('GET', `/api/0/projects/${a.org}/ios-app/keys/`);
    assert.equal(keys.status, 200);
    assert.deepEqual(
      keys.body.map((k: any) => [k.name, k.isActive, k.projectId, k.rateLimit]),
      [['Default', true, Number(created.body.id), null]],
    );
    assert.equal(keys.body[0].id, keys.body[0].public);
    assert.equal(
      keys.body[0].dsn.public,
      `${t.url.replace('//', `//${keys.body[0].public}@`)}/${created.body.id}`,
    );
    assert.equal(await ingest(created.body.id, keys.body[0].public), 200);

    const duplicate = await call('POST', `/api/0/teams/${a.org}/mobile/projects/`, { name: 'iOS App' });
    assert.equal(duplicate.status, 409);
    const noTeam = await call('POST', `/api/0/teams/${a.org}/nope/projects/`, { name: 'x' });
    assert.equal(noTeam.status, 404);

    const list = await call('GET', `/api/0/organizations/${a.org}/projects/`);
    const ios = list.body.find((p: any) => p.slug === 'ios-app');
    assert.deepEqual(
      ios.teams.map((team: any) => team.slug),
      ['mobile'],
    );
    assert.equal(typeof ios.id, 'string');
    const setupProject = list.body.find((p: any) => p.slug === a.project);
    assert.equal(setupProject.team, null);
    const byId = await call('GET', `/api/0/projects/${a.org}/${created.body.id}/`);
    assert.equal(byId.body.slug, 'ios-app');
  });

  test('PUT project: name, slug, platform and retention; a taken slug → 409; bad values → 400', async () => {
    const path = `/api/0/projects/${a.org}/${a.project}/`;
    const first = await call('PUT', path, {
      name: 'Web Frontend',
      platform: 'javascript',
      eventMaxAgeDays: 30,
    });
    assert.equal(first.status, 200);
    assert.deepEqual(
      [first.body.name, first.body.platform, first.body.eventMaxAgeDays, first.body.eventsPerIssue],
      ['Web Frontend', 'javascript', 30, 10000],
    );
    const stored = await t.server.ctx.store.projects.getById(Number(a.projectId));
    assert.equal(stored?.eventMaxAgeDays, 30);
    await call('POST', `/api/0/organizations/${a.org}/teams/`, { slug: 'web-team' });
    await call('POST', `/api/0/teams/${a.org}/web-team/projects/`, { name: 'taken' });
    const taken = await call('PUT', path, { slug: 'taken' });
    assert.equal(taken.status, 409);
    const bad = await call('PUT', path, { eventMaxAgeDays: 0 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /eventMaxAgeDays/);

    const renamed = await call('PUT', path, { slug: 'web-renamed' });
    assert.equal(renamed.body.slug, 'web-renamed');
    assert.equal((await call('GET', path)).status, 404);
    await call('PUT', `/api/0/projects/${a.org}/web-renamed/`, { slug: a.project });
  });

  test('project teams: add, list, remove (a DELETE with a JSON content type and no body)', async () => {
    await call('POST', `/api/0/organizations/${a.org}/teams/`, { slug: 'sre' });
    const added = await call('POST', `/api/0/projects/${a.org}/${a.project}/teams/sre/`);
    assert.equal(added.status, 201);
    assert.deepEqual(
      added.body.teams.map((team: any) => team.slug),
      ['sre'],
    );
    const teams = await call('GET', `/api/0/projects/${a.org}/${a.project}/teams/`);
    assert.deepEqual(
      teams.body.map((team: any) => team.slug),
      ['sre'],
    );
    const sreProjects = await call('GET', `/api/0/teams/${a.org}/sre/projects/`);
    assert.deepEqual(
      sreProjects.body.map((p: any) => p.slug),
      [a.project],
    );
    const removed = await call('DELETE', `/api/0/projects/${a.org}/${a.project}/teams/sre/`);
    assert.equal(removed.status, 200);
    assert.deepEqual(removed.body.teams, []);
    assert.equal((await call('POST', `/api/0/projects/${a.org}/${a.project}/teams/ghost/`)).status, 404);
  });

  test('keys: create with a rate limit that ingest enforces, disable, rotate, delete — ingest sees each at once', async () => {
    const keys = `/api/0/projects/${a.org}/${a.project}/keys/`;
    const created = await call('POST', keys, { name: 'ci', rateLimit: { window: 60, count: 1 } });
    assert.equal(created.status, 201);
    assert.deepEqual([created.body.name, created.body.rateLimit], ['ci', { window: 60, count: 1 }]);
    assert.match(created.body.dateCreated, ISO_Z);
    const ci = created.body.public;
    assert.equal(await ingest(a.projectId, ci), 200);
    assert.equal(await ingest(a.projectId, ci), 429);

    const lifted = await call('PUT', `${keys}${ci}/`, { rateLimit: null });
    assert.equal(lifted.body.rateLimit, null);
    assert.equal(await ingest(a.projectId, ci), 200);
    const disabled = await call('PUT', `${keys}${ci}/`, { isActive: false, name: 'ci (off)' });
    assert.deepEqual([disabled.body.isActive, disabled.body.name], [false, 'ci (off)']);
    assert.equal(await ingest(a.projectId, ci), 403);
    const inactive = await call('GET', `${keys}?status=inactive`);
    assert.deepEqual(
      inactive.body.map((k: any) => k.id),
      [ci],
    );
    await call('PUT', `${keys}${ci}/`, { isActive: true });

    const rotated = await call('POST', `${keys}${ci}/rotate/`);
    assert.equal(rotated.status, 201);
    assert.notEqual(rotated.body.public, ci);
    assert.deepEqual([rotated.body.name, rotated.body.isActive], ['ci (off)', true]);
    assert.equal(await ingest(a.projectId, ci), 403, 'the rotated-out key is refused at once');
    assert.equal(await ingest(a.projectId, rotated.body.public), 200);

    assert.equal((await call('DELETE', `${keys}${rotated.body.public}/`)).status, 204);
    assert.equal((await call('GET', `${keys}${rotated.body.public}/`)).status, 404);
    assert.equal(await ingest(a.projectId, rotated.body.public), 403, 'a deleted key is unknown to ingest');
    const bad = await call('PUT', `${keys}${ci}/`, { rateLimit: { window: 0, count: 5 } });
    assert.equal(bad.status, 400);
  });

  test('lists page with the Link header until results="false"', async () => {
    for (const slug of ['page-a', 'page-b', 'page-c']) {
      await call('POST', `/api/0/organizations/${a.org}/teams/`, { slug });
    }
    const seen: string[] = [];
    let path = `/api/0/organizations/${a.org}/teams/?query=page-&per_page=2&cursor=`;
    for (let i = 0; i < 5; i++) {
      const res = await call('GET', path);
      seen.push(...res.body.map((team: any) => team.slug));
      const next = /<([^>]+)>; rel="next"; results="(true|false)"; cursor="([^"]*)"/.exec(
        res.headers.get('link') ?? '',
      );
      assert.ok(next);
      if (next[2] === 'false') break;
      path = new URL(next[1]).pathname + new URL(next[1]).search;
    }
    assert.deepEqual(seen, ['page-a', 'page-b', 'page-c']);
    assert.equal((await call('GET', `/api/0/organizations/${a.org}/teams/?cursor=bogus`)).status, 400);
  });
});

for (const backend of testBackends()) {
  describe(`firebreak setup is idempotent under concurrency: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    before(async () => {
      opened = await backend.open();
    });
    after(() => opened?.cleanup());

    test('setups of the same organisation and project at once all succeed, with one project and one DSN', async () => {
      const deps = { store: opened.store, now: Date.now(), publicUrl: 'http://127.0.0.1:9' };
      const input = { org: `race-${process.pid}`, project: 'api', platform: 'node' };
      const results = await Promise.all([1, 2, 3].map(() => setupProject(deps, input)));
      assert.deepEqual(new Set(results.map((r) => r.projectId)).size, 1);
      assert.deepEqual(new Set(results.map((r) => r.dsn)).size, 1);
      assert.equal(new Set(results.map((r) => r.token)).size, 3, 'each call mints its own token');
      // One call creates the organisation and one the project (not necessarily the same call).
      assert.equal(results.filter((r) => r.created.org).length, 1, 'exactly one call created the org');
      assert.equal(
        results.filter((r) => r.created.project).length,
        1,
        'exactly one call created the project',
      );
      const [first] = results;
      assert.deepEqual(Object.keys(first).sort(), ['created', 'dsn', 'org', 'project', 'projectId', 'token']);
      const keys = await opened.store.keys.listByProject(Number(first.projectId));
      assert.deepEqual(
        keys.map((k) => [k.label, k.isActive, k.publicKey.length]),
        [['Default', true, 32]],
      );
      assert.match(keys[0].secretKey, /^[0-9a-f]{32}$/);
      assert.equal(first.dsn, `http://${keys[0].publicKey}@127.0.0.1:9/${first.projectId}`);
      const again = await setupProject(deps, input);
      assert.deepEqual(
        [again.projectId, again.dsn, again.created],
        [first.projectId, first.dsn, { org: false, project: false, key: false }],
      );
      await assert.rejects(setupProject(deps, { org: 'Bad Slug', project: 'api' }), /invalid org/);
    });
  });
}
