import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateUserToken, hashToken, tokenPrefix } from '../src/auth/tokens.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { createPostgresTestDatabase } from '../src/store/test-databases.ts';
import { runSdkApp } from './helpers/run.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

async function api(token: string, method: string, path: string, body?: unknown, base = t.url) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

async function tokenWithScopes(s: SetupResult, scopes: string[]): Promise<string> {
  const token = generateUserToken();
  const org = await t.server.ctx.store.orgs.getBySlug(s.org);
  await t.server.ctx.store.tokens.create({
    kind: 'user',
    orgId: org!.id,
    userId: null,
    name: scopes.join(' '),
    scopes,
    tokenHash: hashToken(token),
    tokenPrefix: tokenPrefix(token),
    createdAt: Date.now(),
  });
  return token;
}

const releases = (s: SetupResult) => `/api/0/organizations/${s.org}/releases/`;
const releasePath = (s: SetupResult, version: string) => `${releases(s)}${encodeURIComponent(version)}/`;

describe('releases API', () => {
  let a: SetupResult;
  let b: SetupResult;
  before(async () => {
    a = await t.setup();
    b = await t.setup();
  });

  test('create answers 201, then 208 for the same version, 201 again when a project is added', async () => {
    const created = await api(a.token, 'POST', releases(a), {
      version: 'web@1.0.0+42',
      projects: [a.project],
      ref: 'main',
      url: 'https://ci.example.com/42',
    });
    assert.equal(created.status, 201);
    assert.match(created.headers.get('content-type')!, /^application\/json/);
    const release = created.body;
    assert.equal(release.version, 'web@1.0.0+42');
    assert.equal(typeof release.id, 'string');
    assert.equal(release.shortVersion, '1.0.0 (42)');
    assert.deepEqual(release.versionInfo.version.raw, '1.0.0+42');
    assert.equal(release.versionInfo.package, 'web');
    assert.equal(release.status, 'open');
    assert.equal(release.ref, 'main');
    assert.match(release.dateCreated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(release.dateReleased, null);
    assert.equal(release.firstEvent, null);
    assert.deepEqual(
      [release.newGroups, release.commitCount, release.deployCount, release.lastCommit, release.lastDeploy],
      [0, 0, 0, null, null],
    );
    assert.deepEqual(release.authors, []);
    assert.deepEqual(release.data, {});
    assert.deepEqual(release.projects, [
      {
        id: a.projectId,
        slug: a.project,
        name: a.project,
        newGroups: 0,
        platform: null,
        platforms: [],
        hasHealthData: false,
      },
    ]);

    const again = await api(a.token, 'POST', releases(a), { version: 'web@1.0.0+42', projects: [a.project] });
    assert.equal(again.status, 208);
    assert.equal(again.body.id, release.id);

    const org = await t.server.ctx.store.orgs.getBySlug(a.org);
    const second = await t.server.ctx.store.projects.create({
      orgId: org!.id,
      slug: `${a.project}-api`,
      name: 'API',
      platform: 'node',
      now: Date.now(),
    });
    const widened = await api(a.token, 'POST', releases(a), {
      version: 'web@1.0.0+42',
      projects: [second.id],
    });
    assert.equal(widened.status, 201, 'a project id (as sentry-cli sends all-digit arguments) links it');
    assert.deepEqual(widened.body.projects.map((p: any) => p.slug).sort(), [a.project, second.slug].sort());
    assert.deepEqual(widened.body.projects.find((p: any) => p.slug === second.slug).platforms, ['node']);
  });

  test('bad bodies are 400 with a detail naming the problem', async () => {
    const cases: [unknown, RegExp][] = [
      [{ projects: [a.project] }, /version/],
      [{ version: 'latest', projects: [a.project] }, /version/],
      [{ version: 'a/b', projects: [a.project] }, /version/],
      [{ version: 'ok', projects: 'web' }, /projects/],
      [{ version: 'ok', projects: [a.project], status: 'gone' }, /status/],
      [{ version: 'ok', projects: ['no-such-project'] }, /Invalid project ids or slugs/],
      [{ version: 'ok', projects: [a.project], dateReleased: 'yesterday' }, /dateReleased/],
      [
        {
          version: 'ok',
          projects: [a.project],
          commits: [{ id: 'x', patch_set: [{ path: 'a', type: 'X' }] }],
        },
        /type/,
      ],
      [['not', 'an', 'object'], /body/],
    ];
    for (const [body, detail] of cases) {
      const res = await api(a.token, 'POST', releases(a), body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.detail, detail);
    }
    const list = await api(a.token, 'GET', `${releases(a)}?cursor=bogus`);
    assert.equal(list.status, 400);
  });

  test('detail by URL-encoded version; unknown → 404; other organisation → 404; missing scope → 403', async () => {
    await api(a.token, 'POST', releases(a), { version: 'api@2.0.0-rc.1+build.7', projects: [a.project] });
    const got = await api(a.token, 'GET', releasePath(a, 'api@2.0.0-rc.1+build.7'));
    assert.equal(got.status, 200);
    assert.equal(got.body.version, 'api@2.0.0-rc.1+build.7');
    assert.equal(got.body.versionInfo.version.pre, 'rc.1');
    assert.equal((await api(a.token, 'GET', releasePath(a, 'nope'))).status, 404);
    assert.equal((await api(a.token, 'PUT', releasePath(a, 'nope'), { dateReleased: null })).status, 404);
    assert.equal((await api(b.token, 'GET', releasePath(a, 'api@2.0.0-rc.1+build.7'))).status, 404);
    assert.equal((await api(b.token, 'GET', releases(a))).status, 404);
    assert.equal(
      (await api(b.token, 'GET', releasePath(b, 'api@2.0.0-rc.1+build.7'))).status,
      404,
      "another organisation's version is not visible through one's own org",
    );

    const readOnly = await tokenWithScopes(a, ['event:read', 'org:read']);
    assert.equal((await api(readOnly, 'GET', releases(a))).status, 200);
    const refused = await api(readOnly, 'POST', releases(a), { version: 'x', projects: [a.project] });
    assert.equal(refused.status, 403);
    assert.match(refused.body.detail, /project:releases/);
    const eventsOnly = await tokenWithScopes(a, ['event:read']);
    assert.equal((await api(eventsOnly, 'GET', releases(a))).status, 403);
    const ci = await tokenWithScopes(a, ['org:ci']);
    assert.equal(
      (await api(ci, 'POST', releases(a), { version: 'ci@1', projects: [a.project] })).status,
      201,
    );
    assert.equal((await api(ci, 'GET', `/api/0/organizations/${a.org}/repos/`)).status, 200);
  });

  test('a version ingest recorded with "/" is addressable percent-encoded', async () => {
    const org = await t.server.ctx.store.orgs.getBySlug(a.org);
    await t.server.ctx.store.ingestWrite((tx) =>
      tx.ensureReleases([
        {
          orgId: org!.id,
          projectId: Number(a.projectId),
          version: 'feature/x',
          seenAt: 1000,
          receivedAt: 1000,
        },
      ]),
    );
    const got = await api(a.token, 'GET', releasePath(a, 'feature/x'));
    assert.equal(got.status, 200);
    assert.equal(got.body.firstEvent, '1970-01-01T00:00:01.000Z');
    assert.equal(got.body.dateCreated, '1970-01-01T00:00:01.000Z');
  });

  test('list: newest first, query, project filter, project endpoint, Link pagination', async () => {
    const s = await t.setup();
    for (const version of ['shop@1.0.0', 'shop@1.1.0', 'admin@1.0.0']) {
      assert.equal((await api(s.token, 'POST', releases(s), { version, projects: [s.project] })).status, 201);
    }
    const all = await api(s.token, 'GET', releases(s));
    assert.deepEqual(
      all.body.map((r: any) => r.version),
      ['admin@1.0.0', 'shop@1.1.0', 'shop@1.0.0'],
    );
    const queried = await api(s.token, 'GET', `${releases(s)}?query=SHOP%401.`);
    assert.deepEqual(
      queried.body.map((r: any) => r.version),
      ['shop@1.1.0', 'shop@1.0.0'],
    );
    const byProject = await api(s.token, 'GET', `${releases(s)}?project=${s.projectId}&project=-1`);
    assert.equal(byProject.body.length, 3);
    const bySlug = await api(s.token, 'GET', `${releases(s)}?project=${s.project}`);
    assert.equal(bySlug.body.length, 3);
    // A project the organisation does not have is refused, as by the issue and event lists.
    for (const unknown of ['999999', 'nope', 'abc']) {
      const refused = await api(s.token, 'GET', `${releases(s)}?project=${unknown}`);
      assert.equal(refused.status, 403, unknown);
      assert.match(refused.body.detail, /permission to access project/);
    }
    const viaProject = await api(
      s.token,
      'GET',
      `/api/0/projects/${s.org}/${s.project}/releases/?per_page=26`,
    );
    assert.equal(viaProject.body.length, 3);
    const viaProjectId = await api(s.token, 'GET', `/api/0/projects/${s.org}/${s.projectId}/releases/`);
    assert.deepEqual(
      viaProjectId.body.map((r: any) => r.version),
      viaProject.body.map((r: any) => r.version),
      'a project path takes the numeric id too',
    );
    const one = await api(s.token, 'GET', `/api/0/projects/${s.org}/${s.projectId}/releases/shop%401.1.0/`);
    assert.equal(one.status, 200, JSON.stringify(one.body));
    assert.equal((await api(s.token, 'GET', `/api/0/projects/${s.org}/nope/releases/`)).status, 404);

    const first = await api(s.token, 'GET', `${releases(s)}?per_page=2`);
    assert.deepEqual(
      first.body.map((r: any) => r.version),
      ['admin@1.0.0', 'shop@1.1.0'],
    );
    const next = /<([^>]+)>; rel="next"; results="true"; cursor="([^"]+)"/.exec(first.headers.get('link')!);
    assert.ok(next, first.headers.get('link')!);
    const second = await api(s.token, 'GET', new URL(next[1]).pathname + new URL(next[1]).search);
    assert.deepEqual(
      second.body.map((r: any) => r.version),
      ['shop@1.0.0'],
    );
    assert.match(second.headers.get('link')!, /rel="next"; results="false"/);
    assert.match(second.headers.get('link')!, /rel="previous"; results="true"; cursor="0:0:1"/);
  });

  test('Link rel="previous" names the page before, and 0:0:1 with no results on the first page', async () => {
    const s = await t.setup();
    for (const version of ['p@1', 'p@2', 'p@3']) {
      await api(s.token, 'POST', releases(s), { version, projects: [s.project] });
    }
    const links = (response: { headers: Headers }) => {
      const found: Record<string, { url: string; results: string; cursor: string }> = {};
      for (const m of response.headers
        .get('link')!
        .matchAll(/<([^>]+)>; rel="(\w+)"; results="(\w+)"; cursor="([^"]*)"/g)) {
        found[m[2]] = { url: m[1], results: m[3], cursor: m[4] };
      }
      return found;
    };
    const follow = (url: string) => api(s.token, 'GET', new URL(url).pathname + new URL(url).search);

    const first = await api(s.token, 'GET', `${releases(s)}?per_page=1`);
    assert.deepEqual(
      first.body.map((r: any) => r.version),
      ['p@3'],
    );
    assert.deepEqual(
      { ...links(first).previous, url: undefined },
      { url: undefined, results: 'false', cursor: '0:0:1' },
    );
    const second = await follow(links(first).next.url);
    const third = await follow(links(second).next.url);
    assert.deepEqual(
      third.body.map((r: any) => r.version),
      ['p@1'],
    );
    const previous = links(third).previous;
    assert.deepEqual([previous.results, previous.cursor], ['true', '0:1:1']);
    const back = await follow(previous.url);
    assert.deepEqual(
      back.body.map((r: any) => r.version),
      ['p@2'],
      'previous is the page before, not this one',
    );
    assert.equal(links(back).previous.cursor, '0:0:1');
    assert.deepEqual(
      (await follow(links(back).previous.url)).body.map((r: any) => r.version),
      ['p@3'],
    );

    await api(s.token, 'PUT', releasePath(s, 'p@1'), {
      commits: [{ id: 'a' }, { id: 'b' }, { id: 'c' }].map((c) => ({ ...c, repository: 'r' })),
    });
    const commits = await api(s.token, 'GET', `${releasePath(s, 'p@1')}commits/?per_page=2&cursor=0:2:0`);
    assert.deepEqual(
      commits.body.map((c: any) => c.id),
      ['c'],
    );
    assert.deepEqual([links(commits).previous.results, links(commits).previous.cursor], ['true', '0:0:1']);
  });

  test('delete needs project:releases or project:admin: org:ci and project:write are refused', async () => {
    const s = await t.setup();
    for (const version of ['d@1', 'd@2']) {
      await api(s.token, 'POST', releases(s), { version, projects: [s.project] });
    }
    for (const scopes of [['org:ci'], ['project:write'], ['org:ci', 'project:write', 'project:read']]) {
      const token = await tokenWithScopes(s, scopes);
      const refused = await api(token, 'DELETE', releasePath(s, 'd@1'));
      assert.equal(refused.status, 403, scopes.join(' '));
      assert.match(refused.body.detail, /project:releases or project:admin/);
    }
    assert.equal((await api(s.token, 'GET', releasePath(s, 'd@1'))).status, 200, 'still there');
    const ci = await tokenWithScopes(s, ['org:ci']);
    assert.equal(
      (await api(ci, 'PUT', releasePath(s, 'd@1'), { ref: 'main' })).status,
      200,
      'org:ci still writes',
    );
    const releasesScope = await tokenWithScopes(s, ['project:releases']);
    assert.equal((await api(releasesScope, 'DELETE', releasePath(s, 'd@1'))).status, 204);
    const admin = await tokenWithScopes(s, ['project:admin']);
    assert.equal((await api(admin, 'DELETE', releasePath(s, 'd@2'))).status, 204);
  });

  test('dates without a zone are UTC, whatever the server timezone', async () => {
    const s = await t.setup();
    const timezone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const created = await api(s.token, 'POST', releases(s), {
        version: 'tz@1',
        projects: [s.project],
        dateStarted: '2026-07-01T12:00:00',
        commits: [{ id: 'c1', repository: 'r', timestamp: '2026-06-30 10:00:00.250' }],
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.dateStarted, '2026-07-01T12:00:00.000Z');
      assert.equal(created.body.lastCommit.dateCreated, '2026-06-30T10:00:00.250Z');
      const finalized = await api(s.token, 'PUT', releasePath(s, 'tz@1'), {
        dateReleased: '2026-07-01T13:30',
      });
      assert.equal(finalized.body.dateReleased, '2026-07-01T13:30:00.000Z');
      const deploy = await api(s.token, 'POST', `${releasePath(s, 'tz@1')}deploys/`, {
        environment: 'prod',
        dateStarted: '2026-07-01T12:00:00',
        dateFinished: '2026-07-01T14:05:00+02:00',
      });
      assert.equal(deploy.body.dateStarted, '2026-07-01T12:00:00.000Z');
      assert.equal(deploy.body.dateFinished, '2026-07-01T12:05:00.000Z');
    } finally {
      if (timezone === undefined) delete process.env.TZ;
      else process.env.TZ = timezone;
    }
    for (const date of [
      'July 1, 2026 12:00',
      '2026-02-30T00:00:00Z',
      '2026-07-01T25:00:00Z',
      '1782907200',
      '0000-01-01',
      '0001-01-01T00:00:00+23:59',
    ]) {
      const res = await api(s.token, 'POST', releases(s), {
        version: 'tz@2',
        projects: [s.project],
        dateReleased: date,
      });
      assert.equal(res.status, 400, date);
      assert.match(res.body.detail, /dateReleased/);
    }
    assert.equal((await api(s.token, 'GET', releasePath(s, 'tz@2'))).status, 404);
  });

  test('finalize, commits with changed files, commits list, authors, refs and clearing', async () => {
    const s = await t.setup();
    await api(s.token, 'POST', releases(s), { version: 'v1', projects: [s.project] });
    const finalized = await api(s.token, 'PUT', releasePath(s, 'v1'), {
      projects: [s.project],
      dateReleased: '2026-07-01T12:00:00.000000Z',
    });
    assert.equal(finalized.status, 200);
    assert.equal(finalized.body.dateReleased, '2026-07-01T12:00:00.000Z');

    const commits = [
      {
        id: 'c2',
        repository: 'acme/web',
        message: 'fix users route',
        author_name: 'Jane Dev',
        author_email: 'jane@example.com',
        timestamp: '2026-06-30T10:00:00+02:00',
        patch_set: [{ path: 'src/routes/users.js', type: 'M' }],
      },
      {
        id: 'c1',
        repository: 'acme/web',
        message: 'add app',
        author_name: 'Bob',
        author_email: 'bob@example.com',
        timestamp: '2026-06-29T10:00:00Z',
        patch_set: [
          { path: 'src/app.js', type: 'A' },
          { path: 'old.js', type: 'D' },
        ],
      },
    ];
    const put = await api(s.token, 'PUT', releasePath(s, 'v1'), { commits });
    assert.equal(put.status, 200);
    assert.equal(put.body.commitCount, 2);
    assert.equal(put.body.lastCommit.id, 'c2');
    assert.equal(put.body.lastCommit.dateCreated, '2026-06-30T08:00:00.000Z');
    assert.deepEqual(put.body.lastCommit.author, { name: 'Jane Dev', email: 'jane@example.com' });
    assert.deepEqual(put.body.authors, [
      { name: 'Jane Dev', email: 'jane@example.com' },
      { name: 'Bob', email: 'bob@example.com' },
    ]);
    assert.equal(put.body.dateReleased, '2026-07-01T12:00:00.000Z', 'setting commits keeps the release date');

    const listed = await api(s.token, 'GET', `${releasePath(s, 'v1')}commits/`);
    assert.deepEqual(
      listed.body.map((c: any) => [c.id, c.message, c.repository.name]),
      [
        ['c2', 'fix users route', 'acme/web'],
        ['c1', 'add app', 'acme/web'],
      ],
    );
    const viaProject = await api(
      s.token,
      'GET',
      `/api/0/projects/${s.org}/${s.project}/releases/v1/commits/`,
    );
    assert.equal(viaProject.body.length, 2);
    const org = await t.server.ctx.store.orgs.getBySlug(s.org);
    const stored = await t.server.ctx.store.releases.get(org!.id, 'v1');
    const withFiles = await t.server.ctx.store.releases.commits(stored!.id, {
      limit: 10,
      offset: 0,
      withFiles: true,
    });
    assert.deepEqual(withFiles[1].files, [
      { path: 'old.js', type: 'D' },
      { path: 'src/app.js', type: 'A' },
    ]);

    const repos = await api(s.token, 'GET', `/api/0/organizations/${s.org}/repos/`);
    assert.deepEqual(
      repos.body.map((r: any) => [r.name, r.provider.id]),
      [['acme/web', 'unknown']],
    );

    const unknownRepo = await api(s.token, 'PUT', releasePath(s, 'v1'), {
      refs: [{ repository: 'acme/other', commit: 'c9' }],
    });
    assert.equal(unknownRepo.status, 400);
    assert.match(unknownRepo.body.detail, /Invalid repository names: acme\/other/);

    await api(s.token, 'POST', releases(s), { version: 'v2', projects: [s.project] });
    const refs = await api(s.token, 'PUT', releasePath(s, 'v2'), {
      refs: [{ repository: 'acme/web', commit: 'c2', previousCommit: 'c1' }],
    });
    assert.equal(refs.status, 200);
    assert.equal(refs.body.commitCount, 1);
    assert.equal(refs.body.lastCommit.message, 'fix users route', 'a known head commit keeps its details');
    const cleared = await api(s.token, 'PUT', releasePath(s, 'v2'), { refs: [] });
    assert.equal(cleared.body.commitCount, 0);
    assert.equal(cleared.body.lastCommit, null);
  });

  test('previous-with-commits: {} when none, else the release sentry-cli starts from', async () => {
    const s = await t.setup();
    await api(s.token, 'POST', releases(s), { version: 'p1', projects: [s.project] });
    const none = await api(s.token, 'GET', `${releasePath(s, 'p1')}previous-with-commits/`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, {});
    await api(s.token, 'PUT', releasePath(s, 'p1'), { commits: [{ id: 'aaa', repository: 'r' }] });
    await api(s.token, 'POST', releases(s), { version: 'p2', projects: [s.project] });
    const previous = await api(s.token, 'GET', `${releasePath(s, 'p2')}previous-with-commits/`);
    assert.equal(previous.body.version, 'p1');
    assert.equal(previous.body.lastCommit.id, 'aaa');
    assert.equal((await api(s.token, 'GET', `${releasePath(s, 'p9')}previous-with-commits/`)).status, 404);
  });

  test('deploys: create (201), validation, list, release counters, environment recorded', async () => {
    const s = await t.setup();
    await api(s.token, 'POST', releases(s), { version: 'd1', projects: [s.project] });
    const deploys = `${releasePath(s, 'd1')}deploys/`;
    for (const [body, detail] of [
      [{}, /environment/],
      [{ environment: 'prod/eu' }, /environment/],
      [{ environment: 'x'.repeat(65) }, /environment/],
      [{ environment: 'prod', projects: ['nope'] }, /Invalid project/],
      [
        { environment: 'prod', dateStarted: '2026-07-01T17:00:00Z', dateFinished: '2026-07-01T16:00:00Z' },
        /dateStarted must not be after dateFinished/,
      ],
    ] as [unknown, RegExp][]) {
      const res = await api(s.token, 'POST', deploys, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.detail, detail);
    }
    assert.equal(
      (await api(s.token, 'POST', `${releasePath(s, 'nope')}deploys/`, { environment: 'p' })).status,
      404,
    );

    const staging = await api(s.token, 'POST', deploys, {
      environment: 'staging',
      name: null,
      url: null,
      dateStarted: null,
      dateFinished: '2026-07-01T10:00:00Z',
    });
    assert.equal(staging.status, 201);
    assert.deepEqual(staging.body, {
      id: staging.body.id,
      environment: 'staging',
      name: null,
      url: null,
      dateStarted: null,
      dateFinished: '2026-07-01T10:00:00.000Z',
    });
    const prod = await api(s.token, 'POST', deploys, {
      environment: 'production',
      name: 'deploy 12',
      url: 'https://ci.example.com/12',
      dateStarted: '2026-07-01T11:00:00Z',
    });
    assert.equal(prod.status, 201);
    assert.ok(Date.parse(prod.body.dateFinished) > Date.now() - 60_000, 'dateFinished defaults to now');

    const listed = await api(s.token, 'GET', deploys);
    assert.deepEqual(
      listed.body.map((d: any) => d.environment),
      ['production', 'staging'],
    );
    const filtered = await api(s.token, 'GET', `${deploys}?projectSlug=${s.project}&per_page=10`);
    assert.equal(filtered.body.length, 2);
    assert.deepEqual((await api(s.token, 'GET', `${deploys}?project=999999`)).body, []);
    const release = await api(s.token, 'GET', releasePath(s, 'd1'));
    assert.equal(release.body.deployCount, 2);
    assert.equal(release.body.lastDeploy.name, 'deploy 12');
    assert.deepEqual(await t.server.ctx.store.environments.listByProject(Number(s.projectId)), [
      'production',
      'staging',
    ]);
  });

  test('delete: 204 then 404; refused (400) once an issue started in the release', async () => {
    const s = await t.setup();
    await api(s.token, 'POST', releases(s), { version: 'gone', projects: [s.project] });
    assert.equal((await api(s.token, 'DELETE', releasePath(s, 'gone'))).status, 204);
    assert.equal((await api(s.token, 'GET', releasePath(s, 'gone'))).status, 404);
    assert.equal((await api(s.token, 'DELETE', releasePath(s, 'gone'))).status, 404);

    const url = `${t.url}/api/${s.projectId}/envelope/?sentry_key=${new URL(s.dsn).username}`;
    const event = { message: 'boom', release: 'kept', exception: { values: [{ type: 'E', value: 'boom' }] } };
    const body = `{}\n{"type":"event"}\n${JSON.stringify(event)}`;
    assert.equal((await fetch(url, { method: 'POST', body })).status, 200);
    const kept = await api(s.token, 'GET', releasePath(s, 'kept'));
    assert.equal(kept.body.newGroups, 1);
    assert.equal(kept.body.projects[0].newGroups, 1);
    assert.ok(kept.body.firstEvent);
    const refused = await api(s.token, 'DELETE', releasePath(s, 'kept'));
    assert.equal(refused.status, 400);
    assert.match(refused.body.detail, /referenced by active issues/);
  });
});

describe('suspect commits for an event (committers)', () => {
  const ROUTES_FILE = 'test/fixtures/apps/sdk-app-routes.mjs';
  const jane = { author_name: 'Jane Dev', author_email: 'jane@example.com' };
  let s: SetupResult;
  let eventId: string;
  before(async () => {
    s = await t.setup();
    await api(s.token, 'POST', releases(s), {
      version: 'sdk@1.0.0',
      projects: [s.project],
      commits: [
        {
          id: 'c3',
          repository: 'acme/sdk',
          message: 'docs',
          ...jane,
          patch_set: [{ path: 'README.md', type: 'M' }],
        },
        {
          id: 'c2',
          repository: 'acme/sdk',
          message: 'tighten cart checks',
          ...jane,
          patch_set: [{ path: ROUTES_FILE, type: 'M' }],
        },
        {
          id: 'c1',
          repository: 'acme/sdk',
          message: 'users route',
          author_name: 'Bob',
          author_email: 'bob@example.com',
          patch_set: [{ path: 'src/routes/users.js', type: 'A' }],
        },
      ],
    });
    const ids = await runSdkApp('paths', { SENTRY_DSN: s.dsn, SENTRY_RELEASE: 'sdk@1.0.0' });
    eventId = ids.loadUser[0];
  });
  const committersPath = (id: string) => `/api/0/projects/${s.org}/${s.project}/events/${id}/committers/`;

  test("names the release commit that changed a file in the event's in-app frames", async () => {
    const res = await api(s.token, 'GET', committersPath(eventId));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.committers.length, 1);
    const [committer] = res.body.committers;
    assert.deepEqual(committer.author, { name: 'Jane Dev', email: 'jane@example.com' });
    assert.deepEqual(
      committer.commits.map((c: any) => [c.id, c.message, c.suspectCommitType, c.repository.name, c.score]),
      [['c2', 'tighten cart checks', 'via commit in release', 'acme/sdk', 4]],
    );
    assert.match(committer.commits[0].dateCreated, /Z$/);
  });

  test('no matching commit, no release, or an unknown event → 404 with a detail', async () => {
    await api(s.token, 'POST', releases(s), {
      version: 'sdk@2.0.0',
      projects: [s.project],
      commits: [{ id: 'd1', repository: 'acme/sdk', patch_set: [{ path: 'lib/other.mjs', type: 'M' }] }],
    });
    const unmatched = await runSdkApp('paths', { SENTRY_DSN: s.dsn, SENTRY_RELEASE: 'sdk@2.0.0' });
    const noMatch = await api(s.token, 'GET', committersPath(unmatched.loadUser[0]));
    assert.equal(noMatch.status, 404);
    assert.equal(noMatch.body.detail, 'No committers found');
    const unreleased = await runSdkApp('paths', { SENTRY_DSN: s.dsn });
    assert.equal(
      (await api(s.token, 'GET', committersPath(unreleased.loadUser[0]))).body.detail,
      'No committers found',
    );
    const missing = await api(s.token, 'GET', committersPath('0'.repeat(32)));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.detail, 'Event not found');
  });

  test('other organisation → 404; a token without event or project read scope → 403', async () => {
    const other = await t.setup();
    assert.equal((await api(other.token, 'GET', committersPath(eventId))).status, 404);
    const narrow = await tokenWithScopes(s, ['org:read']);
    assert.equal((await api(narrow, 'GET', committersPath(eventId))).status, 403);
  });
});

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`releases API on ${backend}: bounded cursors, writes that fail change nothing`, () => {
    let server: TestServer;
    let dropDatabase = async () => {};
    let s: SetupResult;
    const call = (method: string, path: string, body?: unknown) =>
      api(s.token, method, path, body, server.url);
    before(async () => {
      if (backend === 'postgres') {
        const database = await createPostgresTestDatabase();
        dropDatabase = database.cleanup;
        server = await startTestServer({ databaseUrl: database.url });
      } else {
        server = await startTestServer();
      }
      s = await server.setup();
    });
    after(async () => {
      await server?.close();
      await dropDatabase();
    });

    test('a cursor past the offset bound is a 400 with a detail on every list, not a database error', async () => {
      await call('POST', releases(s), { version: 'c@1', projects: [s.project] });
      const lists = [
        releases(s),
        `/api/0/projects/${s.org}/${s.project}/releases/`,
        `${releasePath(s, 'c@1')}commits/`,
        `${releasePath(s, 'c@1')}deploys/`,
        `/api/0/organizations/${s.org}/repos/`,
      ];
      for (const list of lists) {
        for (const cursor of [
          '0:99999999999999999999:0',
          '0:1000000001:0',
          '99999999999999999999999:0:0',
          '0:-1:0',
        ]) {
          const res = await call('GET', `${list}?cursor=${cursor}`);
          assert.equal(res.status, 400, `${list} ${cursor}`);
          assert.match(res.body.detail, /cursor/);
        }
        const last = await call('GET', `${list}?cursor=0:1000000000:0`);
        assert.equal(last.status, 200, list);
        assert.deepEqual(last.body, []);
      }
    });

    test('create with an unknown repository in refs is a 400 and creates nothing', async () => {
      const refused = await call('POST', releases(s), {
        version: 'r@1',
        projects: [s.project],
        refs: [{ repository: 'acme/nowhere', commit: 'abc' }],
      });
      assert.equal(refused.status, 400);
      assert.match(refused.body.detail, /Invalid repository names: acme\/nowhere/);
      assert.equal((await call('GET', releasePath(s, 'r@1'))).status, 404);
    });

    test('update with an unknown repository in refs is a 400 and leaves the release as it was', async () => {
      await call('POST', releases(s), {
        version: 'r@2',
        projects: [s.project],
        commits: [{ id: 'c1', repository: 'acme/web', message: 'first' }],
      });
      const refused = await call('PUT', releasePath(s, 'r@2'), {
        dateReleased: '2026-07-01T12:00:00Z',
        ref: 'v2',
        commits: [{ id: 'c2', repository: 'acme/web' }],
        refs: [{ repository: 'acme/nowhere', commit: 'abc' }],
      });
      assert.equal(refused.status, 400);
      assert.match(refused.body.detail, /Invalid repository names: acme\/nowhere/);
      const kept = await call('GET', releasePath(s, 'r@2'));
      assert.deepEqual(
        [kept.body.dateReleased, kept.body.ref, kept.body.commitCount, kept.body.lastCommit.id],
        [null, null, 1, 'c1'],
      );
    });

    test('create and update write their commits with the release; refs may name a repository the commits add', async () => {
      const created = await call('POST', releases(s), {
        version: 'r@3',
        projects: [s.project],
        commits: [
          { id: 'n2', repository: 'acme/new', message: 'second' },
          { id: 'n1', repository: 'acme/new', message: 'first' },
        ],
        refs: [{ repository: 'acme/new', commit: 'n2' }],
      });
      assert.equal(created.status, 201);
      assert.deepEqual([created.body.commitCount, created.body.lastCommit.id], [2, 'n2']);
      const updated = await call('PUT', releasePath(s, 'r@3'), {
        dateReleased: '2026-07-01T12:00:00Z',
        refs: [{ repository: 'acme/new', commit: 'n1' }],
      });
      assert.equal(updated.status, 200);
      assert.deepEqual(
        [updated.body.dateReleased, updated.body.commitCount, updated.body.lastCommit.message],
        ['2026-07-01T12:00:00.000Z', 1, 'first'],
      );
    });
  });
}
