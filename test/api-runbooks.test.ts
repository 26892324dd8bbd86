import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { apiClient, mintToken, sendEvent, startServerOn } from './helpers/issues.ts';
import { run } from './helpers/run.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const MARKDOWN =
  '# API latency\n\n1. Check `kubectl top pods -l app=api`\n2. <script>alert(1)</script> stays text\n';

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`runbooks: CRUD, scopes, suggestions on incidents (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    test('create, list, filter, read, edit and delete; Markdown returned exactly as stored', async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const base = `/api/0/organizations/${s.org}/runbooks/`;
      const created = await api.post(base, { title: 'API latency', body: MARKDOWN, tags: ['service:api'] });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.body, MARKDOWN);
      assert.equal(created.body.format, 'markdown');
      assert.deepEqual(created.body.tags, ['service:api']);
      const db = await api.post(base, { title: 'Database outage', body: '# DB\n', projects: [s.project] });
      assert.deepEqual(db.body.projects, [s.project]);

      assert.deepEqual(
        (await api.get(base)).body.map((r: any) => r.title),
        ['API latency', 'Database outage'],
      );
      assert.deepEqual(
        (await api.get(`${base}?tag=service:api`)).body.map((r: any) => r.id),
        [created.body.id],
      );
      assert.deepEqual(
        (await api.get(`${base}?project=${s.project}`)).body.map((r: any) => r.id),
        [db.body.id],
      );
      const page = await api.get(`${base}?per_page=1`);
      assert.equal(page.body.length, 1);
      assert.match(page.headers.get('link') ?? '', /rel="next"; results="true"/);

      const edited = await api.put(`${base}${created.body.id}/`, { tags: ['service:api', 'region:eu'] });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.deepEqual(edited.body.tags, ['region:eu', 'service:api']);
      assert.equal(edited.body.body, MARKDOWN);
      assert.equal((await api.get(`${base}${created.body.id}/`)).body.title, 'API latency');
      assert.equal((await api.delete(`${base}${db.body.id}/`)).status, 204);
      assert.equal((await api.get(`${base}${db.body.id}/`)).status, 404);
      const audit = (await api.get(`/api/0/organizations/${s.org}/audit-logs/`)).body;
      const actions = (audit.rows ?? audit).map((r: any) => r.event ?? r.action);
      assert.ok(actions.includes('runbook.create'), JSON.stringify(actions));
    });

    test('bad input is a 400 naming the problem', async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const base = `/api/0/organizations/${s.org}/runbooks/`;
      const cases: [unknown, RegExp][] = [
        [{ title: 'x', body: '# x' }, /at least one project or tag/],
        [{ title: 'x', body: '# x', tags: ['service'] }, /key:value/],
        [{ title: 'x', body: '# x', projects: ['nope'] }, /unknown project nope/],
        [{ title: 'x', body: '  \n', tags: ['a:b'] }, /body/],
        [{ title: '', body: '# x', tags: ['a:b'] }, /title/],
        [{ title: 'x', body: '# x', tags: ['a:b'], html: true }, /html|Unrecognized/i],
        [{ title: 'x', body: 'y'.repeat(100_001), tags: ['a:b'] }, /body/],
      ];
      for (const [body, detail] of cases) {
        const answer = await api.post(base, body);
        assert.equal(answer.status, 400, JSON.stringify(body).slice(0, 80));
        assert.match(answer.body.detail, detail);
      }
      assert.equal((await api.get(`${base}?tag=nocolon`)).status, 400);
      assert.equal((await api.get(`${base}abc/`)).status, 404);
    });

    test('scopes: read with incident:read or project:read, write with incident:write or project:write; other orgs 404', async () => {
      const s = await t.setup();
      const other = await t.setup();
      const base = `/api/0/organizations/${s.org}/runbooks/`;
      const token = async (scopes: string[]) => apiClient(t.url, await mintToken(t, { org: s.org, scopes }));
      const body = { title: 'Deploys', body: '# Deploys\n', projects: [s.project] };
      const projectWriter = await token(['project:write']);
      const made = await projectWriter.post(base, body);
      assert.equal(made.status, 201);
      assert.equal((await (await token(['incident:write'])).post(base, body)).status, 201);
      const readOnly = await token(['incident:read']);
      assert.equal((await readOnly.get(base)).status, 200);
      assert.equal((await readOnly.post(base, body)).status, 403);
      assert.equal((await readOnly.delete(`${base}${made.body.id}/`)).status, 403);
      assert.equal((await (await token(['project:read'])).get(`${base}${made.body.id}/`)).status, 200);
      const events = await token(['event:read']);
      assert.match((await events.get(base)).body.detail, /incident:read or project:read/);
      const stranger = apiClient(t.url, other.token);
      assert.equal((await stranger.get(base)).status, 404);
      assert.equal(
        (await stranger.get(`/api/0/organizations/${other.org}/runbooks/${made.body.id}/`)).status,
        404,
      );
      assert.equal(
        (await stranger.put(`/api/0/organizations/${other.org}/runbooks/${made.body.id}/`, { title: 'x' }))
          .status,
        404,
      );
    });

    test('suggested on incidents by project and by tag values of the linked issues, and on the timeline', async () => {
      const s = await t.setup();
      const shop = await t.setup(s.org, `shop${s.projectId}`);
      const api = apiClient(t.url, s.token);
      const org = `/api/0/organizations/${s.org}`;
      const add = async (title: string, extra: Record<string, unknown>) =>
        (await api.post(`${org}/runbooks/`, { title, body: `# ${title}\n`, ...extra })).body.id as string;
      const byProject = await add('Web service', { projects: [s.project] });
      const byTag = await add('API latency', { tags: ['service:api'] });
      const byService = await add('Payments', { tags: ['service:payments'] });
      await add('Database outage', { tags: ['service:db'] });
      await add('Shop', { projects: [shop.project] });
      await sendEvent(t, s, {
        message: 'Gateway timeout',
        tags: { service: 'api' },
        timestamp: T0 / 1000 - 60,
      });
      const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;

      const declared = await api.post(`${org}/incidents/`, {
        issues: [issue.shortId],
        services: [s.project, 'service:payments'],
      });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      const suggested = await api.get(`${org}/incidents/${declared.body.ref}/runbooks/`);
      assert.equal(suggested.status, 200, JSON.stringify(suggested.body));
      assert.deepEqual(
        suggested.body.map((r: any) => [r.id, r.title, r.matchedBy]),
        [
          [byTag, 'API latency', { projects: [], tags: [{ tag: 'service:api', seenOn: [issue.shortId] }] }],
          [
            byService,
            'Payments',
            { projects: [], tags: [{ tag: 'service:payments', seenOn: ['services'] }] },
          ],
          [byProject, 'Web service', { projects: [s.project], tags: [] }],
        ],
      );
      assert.equal(suggested.body[0].body, '# API latency\n');
      const timeline = (await api.get(`${org}/incidents/${declared.body.ref}/timeline/`)).body;
      assert.deepEqual(
        timeline.filter((e: any) => e.kind === 'runbook').map((e: any) => e.body),
        [
          'Runbook: API latency (tag service:api)',
          'Runbook: Payments (tag service:payments)',
          `Runbook: Web service (project ${s.project})`,
        ],
      );
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['project:read'] }));
      assert.equal((await reader.get(`${org}/incidents/${declared.body.ref}/runbooks/`)).status, 403);

      // A bare service naming no project is a value of the component tag (service when none is set).
      const bare = await api.post(`${org}/incidents/`, { title: 'Database slow', services: ['db'] });
      const forBare = await api.get(`${org}/incidents/${bare.body.ref}/runbooks/`);
      assert.deepEqual(
        forBare.body.map((r: any) => [r.title, r.matchedBy.tags]),
        [['Database outage', [{ tag: 'service:db', seenOn: ['services'] }]]],
      );
    });
  });
}

describe('firebreak runbook (the CLI against a live server)', () => {
  let t: TestServer;
  before(async () => {
    t = await startServerOn('sqlite');
  });
  after(() => t.close());

  test('add from a file, list, show (raw Markdown), suggest, delete; usage errors exit 2', async () => {
    const s = await t.setup();
    const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: s.token };
    const cli = (...args: string[]) =>
      run(process.execPath, ['bin/firebreak.js', 'runbook', ...args], { env });
    const file = join(mkdtempSync(join(tmpdir(), 'runbook-')), 'api.md');
    writeFileSync(file, MARKDOWN);
    const added = await cli(
      'add',
      '--title',
      'API latency',
      '--tag',
      'service:api',
      '--project',
      s.project,
      '--file',
      file,
      '--json',
    );
    assert.equal(added.code, 0, added.stderr);
    const id = JSON.parse(added.stdout).id;
    const listed = await cli('list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${id}\\s+API latency\\s+project ${s.project}, tag service:api`));
    const raw = await cli('show', id, '--raw');
    assert.equal(raw.stdout, MARKDOWN);
    const shown = await cli('show', id);
    assert.match(shown.stdout, /runbook:\s+#\d+ API latency/);
    assert.ok(shown.stdout.endsWith(MARKDOWN));
    const api = apiClient(t.url, s.token);
    const ref = (
      await api.post(`/api/0/organizations/${s.org}/incidents/`, { title: 'Slow', services: [s.project] })
    ).body.ref;
    const suggested = await cli('suggest', ref);
    assert.match(suggested.stdout, new RegExp(`#${id}  API latency  — project ${s.project}`));
    assert.equal((await cli('add', '--title', 'No body', '--tag', 'a:b')).code, 2);
    const bad = await cli('add', '--title', 'x', '--file', file);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /at least one project or tag/);
    assert.equal((await cli('delete', id)).code, 0);
    assert.equal((await cli('show', id)).code, 3);
    assert.equal((await cli('frobnicate')).code, 2);
  });
});
