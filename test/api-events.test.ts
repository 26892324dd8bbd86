import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { generateUserToken, hashToken, tokenPrefix } from '../src/auth/tokens.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { run, runSdkApp } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

const MINUTE = 60_000;
const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** Sends one event through the real ingest endpoint; returns its id. */
async function send(t: TestServer, setup: SetupResult, event: Record<string, unknown>): Promise<string> {
  const id = randomBytes(16).toString('hex');
  const url = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${new URL(setup.dsn).username}`;
  const body = `{"event_id":"${id}"}\n{"type":"event"}\n${JSON.stringify({ event_id: id, ...event })}`;
  const res = await fetch(url, { method: 'POST', body });
  assert.equal(res.status, 200, await res.text());
  return id;
}

const boom = { exception: { values: [{ type: 'TypeError', value: 'boom' }] }, platform: 'node' };

describe('events API: issue and project events, Discover, validation', () => {
  let t: TestServer;
  let a: SetupResult;
  let api: SetupResult;
  let b: SetupResult;
  let now: number;
  const ids: Record<string, string> = {};
  let boomIssue: any;
  let cacheIssue: any;
  const get = (path: string, token = a.token) => apiGet(t.url, token, path);
  const org = (path: string) => `/api/0/organizations/${a.org}${path}`;
  const discover = (params: string) => get(org(`/events/?${params}`));

  before(async () => {
    t = await startTestServer();
    a = await t.setup();
    api = await t.setup(a.org, 'api');
    b = await t.setup();
    now = Date.now();
    const at = (minutesAgo: number) => (now - minutesAgo * MINUTE) / 1000;
    ids.e1 = await send(t, a, {
      ...boom,
      timestamp: at(50),
      environment: 'production',
      release: '1.0',
      tags: { browser: 'Chrome' },
      user: { id: 'u1', email: 'a@example.com' },
      transaction: '/checkout',
    });
    ids.e2 = await send(t, a, {
      ...boom,
      timestamp: at(40),
      environment: 'staging',
      release: '1.0',
      tags: { browser: 'Firefox' },
      user: { email: 'b@example.com' },
    });
    ids.e3 = await send(t, a, {
      ...boom,
      timestamp: at(30),
      level: 'fatal',
      environment: 'production',
      release: '1.1',
      tags: { browser: 'Chrome' },
      user: { id: 'u2' },
    });
    ids.m1 = await send(t, a, { message: 'Cache nearly full', level: 'warning', timestamp: at(20) });
    ids.m2 = await send(t, a, { message: 'Disk almost full', timestamp: at(10), tags: { team: 'core' } });
    ids.api = await send(t, api, { message: 'api only', timestamp: at(5) });
    ids.b = await send(t, b, { ...boom, timestamp: at(5) });
    const issues = (await get(`/api/0/projects/${a.org}/${a.project}/issues/?query=`)).body as any[];
    boomIssue = issues.find((i) => i.title === 'TypeError: boom');
    cacheIssue = issues.find((i) => i.title === 'Cache nearly full');
    assert.ok(boomIssue && cacheIssue, JSON.stringify(issues.map((i) => i.title)));
  });
  after(() => t.close());

  test('issue events page newest first through the Link cursor, summary shape', async () => {
    const seen: string[] = [];
    let path = org(`/issues/${boomIssue.id}/events/?per_page=2`);
    for (let page = 0; page < 4; page++) {
      const res = await get(path);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      seen.push(...res.body.map((e: any) => e.eventID));
      const next = /<([^>]+)>; rel="next"; results="(true|false)"/.exec(res.headers.get('link') ?? '');
      assert.ok(next);
      if (next[2] === 'false') break;
      path = new URL(next[1]).pathname + new URL(next[1]).search;
    }
    assert.deepEqual(seen, [ids.e3, ids.e2, ids.e1]);

    const [summary] = (await get(org(`/issues/${boomIssue.shortId}/events/?per_page=1`))).body;
    assert.equal(summary.id, ids.e3);
    assert.equal(summary.groupID, boomIssue.id);
    assert.equal(summary.title, 'TypeError: boom');
    assert.equal(summary['event.type'], 'error');
    assert.equal(summary.platform, 'node');
    assert.match(summary.dateCreated, ISO_Z);
    assert.deepEqual(summary.user.id, 'u2');
    assert.ok(summary.tags.some((tag: any) => tag.key === 'browser' && tag.value === 'Chrome'));
    assert.equal(summary.entries, undefined);

    const full = (await get(org(`/issues/${boomIssue.id}/events/?full=true&sort=timestamp`))).body;
    assert.deepEqual(
      full.map((e: any) => e.eventID),
      [ids.e1, ids.e2, ids.e3],
    );
    assert.equal(full[0].entries[0].type, 'exception');
  });

  test('issue events filter by query, environment and time', async () => {
    const eventIds = async (params: string) =>
      (await get(org(`/issues/${boomIssue.id}/events/?${params}`))).body.map((e: any) => e.eventID);
    assert.deepEqual(await eventIds('query=browser:Chrome'), [ids.e3, ids.e1]);
    assert.deepEqual(await eventIds('environment=staging'), [ids.e2]);
    assert.deepEqual(await eventIds(`query=${encodeURIComponent('!environment:production')}`), [ids.e2]);
    assert.deepEqual(await eventIds(`query=${encodeURIComponent('user.email:b@example.com release:1.0')}`), [
      ids.e2,
    ]);
    assert.deepEqual(await eventIds('statsPeriod=35m'), [ids.e3]);
    const bad = await get(org(`/issues/${boomIssue.id}/events/?query=${encodeURIComponent('level:>error')}`));
    assert.equal(bad.status, 400);
    assert.match(bad.body.detail, /level:>error/);
  });

  test('one event: by id, oldest, recommended; within the issue, the project and the organisation', async () => {
    const byId = await get(org(`/issues/${boomIssue.id}/events/${ids.e2}/`));
    assert.equal(byId.status, 200);
    assert.equal(byId.body.eventID, ids.e2);
    assert.equal(byId.body.user.email, 'b@example.com');
    assert.equal((await get(org(`/issues/${boomIssue.id}/events/oldest/`))).body.eventID, ids.e1);
    assert.equal((await get(org(`/issues/${boomIssue.id}/events/recommended/`))).body.eventID, ids.e3);
    assert.equal((await get(org(`/issues/${boomIssue.id}/events/${ids.m1}/`))).status, 404);
    assert.equal((await get(org(`/issues/${boomIssue.id}/events/not-an-id/`))).status, 404);

    const project = await get(`/api/0/projects/${a.org}/${a.project}/events/${ids.m1}/`);
    assert.equal(project.status, 200);
    assert.equal(project.body.title, 'Cache nearly full');
    assert.equal(project.body.groupID, cacheIssue.id);
    assert.deepEqual(project.body.entries[0], {
      type: 'message',
      data: { formatted: 'Cache nearly full', message: 'Cache nearly full' },
    });
    const dashed = ids.m1.replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-');
    assert.equal((await get(org(`/events/${a.project}:${dashed}/`))).body.eventID, ids.m1);
    // Only the 32-hex and the UUID spellings name an event; other dashes are no id (404, everywhere).
    const misplaced = ids.m1.replace(/^(.{4})(.{4})/, '$1-$2-');
    for (const path of [
      org(`/events/${a.project}:${misplaced}/`),
      `/api/0/projects/${a.org}/${a.project}/events/${misplaced}/`,
      org(`/issues/${cacheIssue.id}/events/${misplaced}/`),
    ])
      assert.equal((await get(path)).status, 404, path);
    assert.equal((await get(`/api/0/projects/${a.org}/${api.project}/events/${ids.m1}/`)).status, 404);

    const list = (await get(`/api/0/projects/${a.org}/${a.project}/events/`)).body;
    assert.deepEqual(
      list.map((e: any) => e.eventID),
      [ids.m2, ids.m1, ids.e3, ids.e2, ids.e1],
    );
  });

  test('sentry-cli events list reads the project event list', async () => {
    const result = await run(
      'node_modules/.bin/sentry-cli',
      ['events', 'list', '--show-user', '--show-tags'],
      {
        env: {
          SENTRY_URL: t.url,
          SENTRY_AUTH_TOKEN: a.token,
          SENTRY_ORG: a.org,
          SENTRY_PROJECT: a.project,
          SENTRY_DISABLE_UPDATE_CHECK: 'true',
        },
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Disk almost full/);
    assert.match(result.stdout, /Email: b@example\.com/);
    assert.match(result.stdout, /team: core/);
  });

  test('Discover: field selection, query, sort and meta', async () => {
    const res = await discover(
      `field=id&field=title&field=level&field=timestamp&field=project&field=issue&field=tags[browser]` +
        `&field=user.display&query=${encodeURIComponent('level:[error,fatal] browser:Chrome')}&sort=-timestamp`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(
      res.body.data.map((r: any) => [r.id, r.level, r['tags[browser]'], r['user.display']]),
      [
        [ids.e3, 'fatal', 'Chrome', 'u2'],
        // Its user has an id and an email: Sentry's user.display is the email.
        [ids.e1, 'error', 'Chrome', 'a@example.com'],
      ],
    );
    assert.equal(res.body.data[0].issue, boomIssue.shortId);
    assert.equal(res.body.data[0].project, a.project);
    assert.match(res.body.data[0].timestamp, ISO_Z);
    assert.deepEqual(res.body.meta.fields, {
      id: 'string',
      title: 'string',
      level: 'string',
      timestamp: 'date',
      project: 'string',
      issue: 'string',
      'tags[browser]': 'string',
      'user.display': 'string',
    });

    const ids_ = async (params: string) =>
      (await discover(`field=id&field=timestamp&${params}`)).body.data.map((r: any) => r.id);
    assert.deepEqual(await ids_('query=nearly'), [ids.m1]);
    assert.deepEqual(await ids_('query=has:team'), [ids.m2]);
    assert.deepEqual(
      await ids_(`query=${encodeURIComponent('!has:user event.type:default')}&sort=timestamp`),
      [ids.m1, ids.m2, ids.api],
    );
    assert.deepEqual(await ids_(`query=${encodeURIComponent('timestamp:>-25m')}&project=${a.projectId}`), [
      ids.m2,
      ids.m1,
    ]);
    assert.deepEqual(await ids_('statsPeriod=15m'), [ids.api, ids.m2]);
    assert.deepEqual(await ids_(`project=${api.projectId}`), [ids.api]);
    assert.deepEqual(await ids_(`query=${encodeURIComponent(`issue:${boomIssue.shortId} !release:1.1`)}`), [
      ids.e2,
      ids.e1,
    ]);
    assert.deepEqual(await ids_(`query=${encodeURIComponent('title:*FULL')}`), [ids.m2, ids.m1]);

    const first = await discover('field=id&field=timestamp&sort=-timestamp&per_page=4');
    assert.equal(first.body.data.length, 4);
    const next = /<([^>]+)>; rel="next"; results="true"; cursor="([^"]+)"/.exec(
      first.headers.get('link') ?? '',
    );
    assert.ok(next, first.headers.get('link') ?? '');
    const second = await get(new URL(next[1]).pathname + new URL(next[1]).search);
    assert.deepEqual(
      second.body.data.map((r: any) => r.id),
      [ids.e2, ids.e1],
    );
    assert.match(second.headers.get('link') ?? '', /rel="next"; results="false"/);
    // previous names the page before (it used to repeat the current one with results="true").
    const back = /<([^>]+)>; rel="previous"; results="true"; cursor="([^"]+)"/.exec(
      second.headers.get('link') ?? '',
    );
    assert.ok(back, second.headers.get('link') ?? '');
    assert.equal(back[2], '0:0:1');
    const again = await get(new URL(back[1]).pathname + new URL(back[1]).search);
    assert.deepEqual(again.body.data, first.body.data);
    assert.match(first.headers.get('link') ?? '', /rel="previous"; results="false"/);
  });

  test('Discover aggregates group by the other fields', async () => {
    const res = await discover(
      'field=issue&field=title&field=count()&field=count_unique(user)&field=last_seen()&sort=-count()' +
        `&project=${a.projectId}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const [top, ...rest] = res.body.data;
    assert.deepEqual(
      { ...top, 'last_seen()': undefined },
      {
        issue: boomIssue.shortId,
        title: 'TypeError: boom',
        'count()': 3,
        'count_unique(user)': 3,
        'last_seen()': undefined,
      },
    );
    assert.match(top['last_seen()'], ISO_Z);
    assert.ok(Math.abs(Date.parse(top['last_seen()']) - (now - 30 * MINUTE)) < 1000, top['last_seen()']);
    assert.equal(rest.length, 2);
    assert.deepEqual(res.body.meta.fields['count()'], 'integer');
    assert.deepEqual(res.body.meta.fields['last_seen()'], 'date');

    const having = await discover(`field=issue&field=count()&query=${encodeURIComponent('count():>1')}`);
    assert.deepEqual(having.body.data, [{ issue: boomIssue.shortId, 'count()': 3 }]);
    // Read as free text it silently matched nothing.
    const negated = await discover(`field=issue&field=count()&query=${encodeURIComponent('!count():>1')}`);
    assert.equal(negated.status, 400);
    assert.match(negated.body.detail, /cannot be negated; compare the other way/);
    const total = await discover(`field=count()&field=epm()&statsPeriod=1h&project=${a.projectId}`);
    assert.deepEqual(total.body.data, [{ 'count()': 5, 'epm()': 5 / 60 }]);
    assert.equal(total.body.meta.units['epm()'], '1/minute');
  });

  test('validate answers the MCP server’s search_events check, 400 with the same shape when invalid', async () => {
    const ok = await get(
      org(
        '/events/validate/?dataset=errors&query=level%3Aerror&statsPeriod=24h&field=issue&field=title&field=count%28%29&orderby=-count%28%29',
      ),
    );
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.valid, true);
    assert.deepEqual(ok.body.dataset, [{ name: 'errors', valid: true, error: null }]);
    assert.deepEqual(ok.body.field[2], { name: 'count()', valid: true, attrType: 'number', error: null });
    assert.deepEqual(ok.body.query, {
      valid: true,
      error: null,
      fields: [{ name: 'level', valid: true, attrType: 'string', error: null }],
    });
    assert.deepEqual(ok.body.orderby, [{ name: '-count()', valid: true, attrType: 'number', error: null }]);

    const bad = await get(
      org(
        `/events/validate/?dataset=errors&field=title&field=p95(transaction.duration)&orderby=-timestamp&query=${encodeURIComponent('level:>error')}`,
      ),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.body.valid, false);
    assert.equal(bad.body.field[0].valid, true);
    assert.equal(bad.body.field[1].valid, false);
    assert.match(bad.body.field[1].error, /p95\(transaction.duration\)/);
    assert.equal(bad.body.query.valid, false);
    assert.match(bad.body.query.error, /level:>error/);
    assert.equal(bad.body.orderby[0].valid, false);
    assert.match(bad.body.orderby[0].error, /not selected/);

    // What the search itself refuses, validate refuses too: the MCP server validates first.
    for (const params of ['statsPeriod=91d', 'statsPeriod=abc', 'start=2026-01-01T00:00:00', 'cursor=zzz']) {
      const refused = await get(org(`/events/validate/?field=title&${params}`));
      assert.equal(refused.status, 400, params);
      assert.equal((await get(org(`/events/?field=title&${params}`))).status, 400, params);
    }

    const spans = await get(
      org(
        '/events/validate/?dataset=spans&query=span.op%3Adb&field=span.op&field=span.duration&orderby=-span.duration',
      ),
    );
    assert.equal(spans.status, 200);
    assert.equal(spans.body.field[1].attrType, 'number');
  });

  test('datasets Firebreak has no data for answer empty with meta; unknown ones are refused', async () => {
    const spans = await discover(
      'dataset=spans&field=id&field=span.op&field=span.duration&field=count()&sort=-count()&sampling=NORMAL',
    );
    assert.equal(spans.status, 200);
    assert.deepEqual(spans.body.data, []);
    assert.deepEqual(spans.body.meta.fields, {
      id: 'string',
      'span.op': 'string',
      'span.duration': 'number',
      'count()': 'integer',
    });
    const unknown = await discover('dataset=nope&field=id');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.detail, /nope/);
  });

  test('bad fields and queries are 400s naming them', async () => {
    const cases: [string, RegExp][] = [
      ['field=p99(transaction.duration)', /p99\(transaction.duration\)/],
      ['field=trace', /"trace" is not supported/],
      ['field=title&sort=-count()', /not selected: "count\(\)"/],
      [`field=id&query=${encodeURIComponent('timestamp:>yesterday')}`, /timestamp:>yesterday/],
      [`field=id&query=${encodeURIComponent('project:nope')}`, /project:nope/],
      [`field=id&query=${encodeURIComponent('release:"open')}`, /unterminated quote/],
      ['field=id&query=count():>1', /count\(\):>1/],
      ['', /No columns selected/],
    ];
    for (const [params, detail] of cases) {
      const res = await discover(params);
      assert.equal(res.status, 400, params);
      assert.match(res.body.detail, detail, params);
    }
  });

  test('isolation: another organisation’s token gets 404; a token without event scopes 403', async () => {
    for (const path of [
      org('/events/?field=id'),
      org('/events/validate/?field=id'),
      org(`/issues/${boomIssue.id}/events/`),
      org(`/issues/${boomIssue.id}/events/${ids.e1}/`),
      `/api/0/projects/${a.org}/${a.project}/events/${ids.e1}/`,
      org(`/events/${a.project}:${ids.e1}/`),
    ]) {
      assert.equal((await get(path, b.token)).status, 404, path);
    }
    // Through its own organisation, another one's issue and event do not exist.
    assert.equal(
      (await get(`/api/0/organizations/${b.org}/issues/${boomIssue.id}/events/`, b.token)).status,
      404,
    );
    assert.equal(
      (await get(`/api/0/organizations/${b.org}/events/${a.project}:${ids.e1}/`, b.token)).status,
      404,
    );
    const own = await get(`/api/0/organizations/${b.org}/events/?field=id&field=timestamp`, b.token);
    assert.deepEqual(
      own.body.data.map((r: any) => r.id),
      [ids.b],
    );
    assert.equal(
      (await get(`/api/0/organizations/${b.org}/events/?field=id&project=${a.projectId}`, b.token)).status,
      403,
    );

    const token = generateUserToken();
    const orgRow = await t.server.ctx.store.orgs.getBySlug(a.org);
    await t.server.ctx.store.tokens.create({
      kind: 'user',
      orgId: orgRow!.id,
      userId: null,
      name: 'narrow',
      scopes: ['org:read'],
      tokenHash: hashToken(token),
      tokenPrefix: tokenPrefix(token),
      createdAt: Date.now(),
    });
    for (const path of [
      org('/events/?field=id'),
      org(`/issues/${boomIssue.id}/events/`),
      org('/events/validate/?field=id'),
    ]) {
      const res = await get(path, token);
      assert.equal(res.status, 403, path);
      assert.match(res.body.detail, /event:read/);
    }
  });

  test('release:latest is the most recently created release, in Discover and event lists alike', async () => {
    const c = await t.setup();
    const orgRow = await t.server.ctx.store.orgs.getBySlug(c.org);
    const release = (version: string, createdAgo: number) =>
      t.server.ctx.store.releases.create({
        orgId: orgRow!.id,
        version,
        projectIds: [Number(c.projectId)],
        ref: null,
        url: null,
        dateStarted: null,
        dateReleased: null,
        status: null,
        now: now - createdAgo,
      });
    await release('c@older', 120 * MINUTE);
    await release('c@newer', 60 * MINUTE);
    // The newer release's first event is the older one: "latest" goes by creation, as Sentry.
    const newer = await send(t, c, {
      message: 'from newer',
      release: 'c@newer',
      timestamp: (now - 180 * MINUTE) / 1000,
    });
    await send(t, c, { message: 'from older', release: 'c@older', timestamp: (now - 10 * MINUTE) / 1000 });
    const query = encodeURIComponent('release:latest');
    const discovered = await get(`/api/0/organizations/${c.org}/events/?field=id&query=${query}`, c.token);
    assert.equal(discovered.status, 200, JSON.stringify(discovered.body));
    assert.deepEqual(
      discovered.body.data.map((r: any) => r.id),
      [newer],
    );
    const listed = await get(`/api/0/projects/${c.org}/${c.project}/events/?query=${query}`, c.token);
    assert.deepEqual(
      listed.body.map((e: any) => e.eventID),
      [newer],
    );
    const issues = await get(`/api/0/projects/${c.org}/${c.project}/issues/?query=${query}`, c.token);
    assert.deepEqual(
      issues.body.map((i: any) => i.title),
      ['from newer'],
    );
  });

  test('read windows are at most 90 days; the 400 names the parameter', async () => {
    const day = 24 * 60 * MINUTE;
    for (const path of [
      org('/events/?field=id&statsPeriod=91d'),
      org('/events/?field=id&statsPeriod=99999w'),
      `/api/0/projects/${a.org}/${a.project}/events/?statsPeriod=13w`,
      org(`/issues/${boomIssue.id}/events/?statsPeriod=2161h`),
      org('/tags/?statsPeriod=100d'),
    ]) {
      const res = await get(path);
      assert.equal(res.status, 400, path);
      assert.match(res.body.detail, /invalid statsPeriod ".*": at most 90d/, path);
    }
    const start = new Date(now - 100 * day).toISOString();
    const end = new Date(now).toISOString();
    for (const path of [
      org(`/events/?field=id&start=${start}&end=${end}`),
      `/api/0/projects/${a.org}/${a.project}/events/?start=${start}&end=${end}`,
    ]) {
      const res = await get(path);
      assert.equal(res.status, 400, path);
      assert.match(res.body.detail, /^invalid start: more than 90 days before end$/, path);
    }
    const ninety = await get(org(`/events/?field=id&statsPeriod=90d&project=${a.projectId}`));
    assert.equal(ninety.status, 200);
    assert.equal(ninety.body.data.length, 5);
  });

  test('a list value holds at most 100 entries', async () => {
    const list = `release:[${Array.from({ length: 101 }, (_, i) => `r${i}`).join(',')}]`;
    const res = await discover(`field=id&query=${encodeURIComponent(list)}`);
    assert.equal(res.status, 400);
    assert.match(
      res.body.detail,
      /^invalid search token "release:\[r0,r1,.*": more than 100 values in a list$/,
    );
  });

  test('project events with full=true are whole events, each with its own issue', async () => {
    const full = (await get(`/api/0/projects/${a.org}/${a.project}/events/?full=true`)).body;
    assert.deepEqual(
      full.map((e: any) => [e.eventID, e.groupID]),
      [
        [ids.m2, full[0].groupID],
        [ids.m1, cacheIssue.id],
        [ids.e3, boomIssue.id],
        [ids.e2, boomIssue.id],
        [ids.e1, boomIssue.id],
      ],
    );
    assert.notEqual(full[0].groupID, cacheIssue.id);
    assert.equal(full[2].entries[0].type, 'exception');
  });

  test('org tag keys and empty traces', async () => {
    const tags = await get(org(`/tags/?project=${a.projectId}&statsPeriod=14d`));
    assert.equal(tags.status, 200);
    const browser = tags.body.find((tag: any) => tag.key === 'browser');
    assert.deepEqual(browser, { key: 'browser', name: 'browser', totalValues: 3, uniqueValues: 2 });
    const trace = 'a'.repeat(32);
    const meta = await get(org(`/trace-meta/${trace}/?statsPeriod=14d`));
    assert.deepEqual(meta.body, {
      errors: 0,
      performance_issues: 0,
      span_count: 0,
      transaction_child_count_map: [],
      span_count_map: {},
      logs: 0,
    });
    assert.deepEqual((await get(org(`/trace/${trace}/?limit=1&project=-1&statsPeriod=14d`))).body, []);
  });
});

describe('events API with the real @sentry/node SDK, as the Sentry MCP server asks', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('search_events: validate, then the events query with the default error fields', async () => {
    const setup = await t.setup();
    const ids = await runSdkApp('paths', { SENTRY_DSN: setup.dsn, SENTRY_RELEASE: 'web@2.0.0' });
    const headers = {
      Authorization: `Bearer ${setup.token}`,
      'Content-Type': 'application/json',
      'User-Agent': 'sentry-mcp/0.39.0 (https://mcp.sentry.dev)',
    };
    const fields = [
      'issue',
      'title',
      'project',
      'timestamp',
      'level',
      'message',
      'error.type',
      'culprit',
      'user.email',
      'user.id',
    ];
    const fieldParams = fields.map((f) => `field=${encodeURIComponent(f)}`).join('&');
    const base = `${t.url}/api/0/organizations/${setup.org}/events`;
    const validate = await fetch(
      `${base}/validate/?dataset=errors&query=release%3Aweb%402.0.0&statsPeriod=14d&${fieldParams}&orderby=-timestamp`,
      { headers },
    );
    assert.equal(validate.status, 200);
    assert.equal(((await validate.json()) as any).valid, true);
    const res = await fetch(
      `${base}/?per_page=10&query=release%3Aweb%402.0.0&dataset=errors&statsPeriod=14d&sort=-timestamp&${fieldParams}&referrer=api.mcp.search-events`,
      { headers },
    );
    assert.equal(res.status, 200);
    const body = (await res.json()) as any;
    assert.deepEqual(body.data.map((r: any) => r.title).sort(), [
      'RangeError: cart is empty',
      "TypeError: Cannot read properties of undefined (reading 'user')",
    ]);
    const range = body.data.find((r: any) => r.title.startsWith('RangeError'));
    assert.equal(range.project, setup.project);
    assert.equal(range['error.type'], 'RangeError');
    assert.equal(range.message, 'RangeError: cart is empty');
    assert.match(range.issue, /^WEB\d+-\d+$/);
    assert.match(range.culprit, /checkout/);
    assert.equal(range.level, 'error');

    // get_issue_details: the issue's event by id, in the shape the MCP server validates.
    const issueId = range.issue;
    const detail = await fetch(
      `${t.url}/api/0/organizations/${setup.org}/issues/${issueId}/events/${ids.checkout[0]}/`,
      { headers },
    );
    const event = (await detail.json()) as any;
    assert.equal(event.type, 'error');
    const frames = event.entries.find((e: any) => e.type === 'exception').data.values[0].stacktrace.frames;
    const last = frames.at(-1);
    assert.equal(last.function, 'checkout');
    assert.equal(typeof last.lineNo, 'number');
    assert.equal(last.inApp, true);
    assert.ok(
      last.context.some(([n, line]: [number, string]) => n === last.lineNo && line.includes('cart is empty')),
    );
    assert.ok(event.tags.some((tag: any) => tag.key === 'release' && tag.value === 'web@2.0.0'));
  });
});
