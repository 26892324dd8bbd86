import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, sendEvent, titles } from './helpers/issues.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const DAY = 86_400_000;

describe('issue lists (project and organisation), stats, tags', () => {
  let t: TestServer;
  let web: SetupResult;
  let api: SetupResult;
  let client: ReturnType<typeof apiClient>;
  before(async () => {
    t = await startTestServer();
    web = await t.setup();
    const org = await t.server.ctx.store.orgs.getBySlug(web.org);
    const project = await t.server.ctx.store.projects.create({
      orgId: org!.id,
      slug: `api-${web.project}`,
      name: 'API',
      platform: 'node',
      now: Date.now(),
    });
    api = await t.setup(web.org, project.slug);
    client = apiClient(t.url, web.token);
    for (let i = 0; i < 3; i++) {
      await sendEvent(t, web, {
        message: 'Frequent',
        tags: { browser: i < 2 ? 'Chrome' : 'Firefox' },
        user: { id: `u${i}` },
      });
    }
    await sendEvent(t, web, { message: 'Old one', timestamp: (Date.now() - 20 * DAY) / 1000 });
    await sendEvent(t, api, { message: 'API only', environment: 'staging' });
  });
  after(() => t.close());

  const orgList = (query: string) => client.get(`/api/0/organizations/${web.org}/issues/?${query}`);

  test('organisation list: every project by default or project=-1, chosen projects by id or slug, others 403', async () => {
    assert.deepEqual(titles(await orgList('')), ['API only', 'Frequent']);
    assert.deepEqual(titles(await orgList('project=-1&query=')), ['API only', 'Frequent']);
    assert.deepEqual(titles(await orgList(`project=${api.projectId}`)), ['API only']);
    assert.deepEqual(titles(await orgList(`project=${api.projectId}&project=${web.projectId}`)), [
      'API only',
      'Frequent',
    ]);
    assert.deepEqual(titles(await orgList(`project=${api.project}`)), ['API only']);
    // As Sentry: a project of another organisation, or none at all, is one the caller may not see.
    const foreign = await t.setup();
    for (const project of [foreign.projectId, '999999999', 'no-such-project']) {
      const refused = await orgList(`project=${project}`);
      assert.equal(refused.status, 403, project);
      assert.match(
        refused.body.detail,
        new RegExp(`You do not have permission to access project "${project}"`),
      );
    }
  });

  test("organisation list: statsPeriod / start+end bound when issues were seen (Sentry's default 14d)", async () => {
    assert.deepEqual(titles(await orgList('statsPeriod=30d')), ['API only', 'Frequent', 'Old one']);
    assert.deepEqual(titles(await orgList('statsPeriod=90d&query=Old')), ['Old one']);
    const start = new Date(Date.now() - 25 * DAY).toISOString();
    const end = new Date(Date.now() - 15 * DAY).toISOString();
    assert.deepEqual(titles(await orgList(`start=${start}&end=${end}`)), ['Old one']);
    assert.equal((await orgList('statsPeriod=forever')).status, 400);
    assert.equal((await orgList(`start=${start}`)).status, 400);
    // The window is at most 90 days, as every read window (Sentry's MAX_STATS_PERIOD).
    const wide = await orgList('statsPeriod=91d');
    assert.equal(wide.status, 400);
    assert.match(wide.body.detail, /invalid statsPeriod "91d": at most 90d/);
    const longAgo = new Date(Date.now() - 200 * DAY).toISOString();
    const tooWide = await orgList(`start=${longAgo}&end=${end}`);
    assert.equal(tooWide.status, 400);
    assert.match(tooWide.body.detail, /invalid start/);
  });

  test('start/end list the issues seen in the window, not those seen only before and after it', async () => {
    const own = await t.setup();
    const ownList = (query: string) =>
      apiClient(t.url, own.token).get(`/api/0/organizations/${own.org}/issues/?query=&${query}`);
    await sendEvent(t, own, { message: 'Gap', timestamp: (Date.now() - 20 * DAY) / 1000 });
    await sendEvent(t, own, { message: 'Gap' });
    const iso = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
    assert.deepEqual(titles(await ownList(`start=${iso(10)}&end=${iso(5)}`)), []);
    assert.deepEqual(titles(await ownList(`start=${iso(21)}&end=${iso(19)}`)), ['Gap']);
    assert.deepEqual(titles(await ownList(`start=${iso(1)}&end=${iso(-1)}`)), ['Gap']);
  });

  test('isUnhandled: an issue with an event whose exception was not handled', async () => {
    const own = await t.setup();
    const exception = (type: string, handled: boolean) => ({
      exception: { values: [{ type, value: 'x', mechanism: { type: 'generic', handled } }] },
    });
    await sendEvent(t, own, exception('Crash', false));
    await sendEvent(t, own, exception('Caught', true));
    await sendEvent(t, own, { message: 'Just a message' });
    const listed = await apiClient(t.url, own.token).get(`/api/0/organizations/${own.org}/issues/?query=`);
    assert.deepEqual(listed.body.map((i: any) => [i.title.split(':')[0], i.isUnhandled]).sort(), [
      ['Caught', false],
      ['Crash', true],
      ['Just a message', false],
    ]);
  });

  test('start/end without a zone are UTC, whatever zone the server runs in', async () => {
    const old = (await orgList('statsPeriod=30d&query=Old')).body[0];
    const seen = Date.parse(old.lastSeen);
    // Zone-less, as the MCP server and Sentry's UI send them: one hour either side of the event.
    const zoneless = (at: number) => new Date(at).toISOString().slice(0, 19);
    const zone = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      const around = await orgList(`start=${zoneless(seen - 3_600_000)}&end=${zoneless(seen + 3_600_000)}`);
      assert.deepEqual(titles(around), ['Old one']);
      const spaced = await orgList(
        `start=${zoneless(seen - 3_600_000).replace('T', '%20')}&end=${zoneless(seen + 3_600_000).replace('T', '%20')}`,
      );
      assert.deepEqual(titles(spaced), ['Old one']);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test('the MCP search_issues request: limit, sort, statsPeriod, query, project, collapse', async () => {
    const answer = await orgList(
      `limit=5&sort=freq&statsPeriod=30d&query=is%3Aunresolved&project=${web.projectId}&collapse=unhandled`,
    );
    assert.equal(answer.status, 200);
    assert.deepEqual(
      answer.body.map((i: any) => i.title),
      ['Frequent', 'Old one'],
    );
    const [frequent] = answer.body;
    assert.equal(frequent.count, '3');
    assert.equal(frequent.userCount, 3);
    assert.equal(frequent.stats['24h'].length, 24);
    assert.equal(
      frequent.stats['24h'].reduce((sum: number, [, n]: [number, number]) => sum + n, 0),
      3,
    );
    assert.match(frequent.permalink, new RegExp(`/organizations/${web.org}/issues/${frequent.id}/$`));
    assert.equal(frequent.project.id, web.projectId);
    assert.match(frequent.firstSeen, /Z$/);
  });

  test('stats series: 24h, 14d, none; groupStatsPeriod=auto spans the range', async () => {
    const path = `/api/0/projects/${web.org}/${web.project}/issues/`;
    const daily = (await client.get(`${path}?statsPeriod=14d&query=Frequent`)).body[0];
    assert.equal(daily.stats['14d'].length, 14);
    assert.equal(daily.stats['14d'][13][1], 3);
    assert.equal((await client.get(`${path}?statsPeriod=&query=Frequent`)).body[0].stats, undefined);
    assert.equal((await client.get(`${path}?statsPeriod=7y`)).status, 400);
    const auto = (await orgList('groupStatsPeriod=auto&statsPeriod=24h&query=Frequent')).body[0];
    // From the hour holding now − 24 h to the one holding now: 25 buckets, 24 on the hour.
    assert.ok([24, 25].includes(auto.stats.auto.length), String(auto.stats.auto.length));
    assert.equal(
      auto.stats.auto.reduce((sum: number, [, n]: [number, number]) => sum + n, 0),
      3,
      'every event of the range is in a bucket',
    );
  });

  test('groupStatsPeriod=auto over a start/end of whole days: one bucket per day, none outside', async () => {
    const own = await t.setup();
    const start = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
    const at = (ms: number) => sendEvent(t, own, { message: 'Daily', timestamp: ms / 1000 });
    for (const offset of [-3_600_000, 3_600_000, 3_600_000, DAY + 3_600_000, 2 * DAY + 3_600_000]) {
      await at(start + offset);
    }
    const range = `start=${new Date(start).toISOString()}&end=${new Date(start + 3 * DAY).toISOString()}`;
    const [issue] = (
      await apiClient(t.url, own.token).get(
        `/api/0/organizations/${own.org}/issues/?query=&groupStatsPeriod=auto&${range}`,
      )
    ).body;
    assert.deepEqual(issue.stats.auto, [
      [start / 1000, 2],
      [(start + DAY) / 1000, 1],
      [(start + 2 * DAY) / 1000, 1],
    ]);
  });

  test('sort orders and cursor pagination through the Link header', async () => {
    const byFreq = await client.get(`/api/0/projects/${web.org}/${web.project}/issues/?query=&sort=freq`);
    assert.deepEqual(
      byFreq.body.map((i: any) => i.title),
      ['Frequent', 'Old one'],
    );
    const byNew = await client.get(`/api/0/projects/${web.org}/${web.project}/issues/?query=&sort=new`);
    assert.deepEqual(
      byNew.body.map((i: any) => i.title),
      ['Frequent', 'Old one'],
    );
    const seen: string[] = [];
    let path = `/api/0/organizations/${web.org}/issues/?query=&statsPeriod=90d&limit=1&sort=date`;
    for (let page = 0; page < 5; page++) {
      const answer = await client.get(path);
      seen.push(...answer.body.map((i: any) => i.title));
      const next = /<([^>]+)>; rel="next"; results="(true|false)"; cursor="([^"]*)"/.exec(
        answer.headers.get('link') ?? '',
      );
      assert.ok(next);
      if (next[2] === 'false') break;
      path = new URL(next[1]).pathname + new URL(next[1]).search;
    }
    assert.deepEqual(seen.sort(), ['API only', 'Frequent', 'Old one']);
    assert.equal((await orgList('cursor=garbage')).status, 400);

    // A keyset list cannot page back: its previous link, results="false", leads to the first page.
    const last = await client.get(path);
    const previous = /<([^>]+)>; rel="previous"; results="false"; cursor="0:0:1"/.exec(
      last.headers.get('link') ?? '',
    );
    assert.ok(previous, last.headers.get('link') ?? '');
    const back = await client.get(new URL(previous[1]).pathname + new URL(previous[1]).search);
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.length, 1);
    for (const list of [
      `/api/0/projects/${web.org}/${web.project}/events/?cursor=0:0:1`,
      `/api/0/organizations/${web.org}/audit-logs/?cursor=0:0:1`,
    ]) {
      assert.equal((await client.get(list)).status, 200, list);
    }
  });

  test('shortIdLookup: a short id as the query answers that issue directly', async () => {
    const frequent = (await orgList('query=Frequent')).body[0];
    const hit = await orgList(`query=${frequent.shortId}&shortIdLookup=1`);
    assert.equal(hit.headers.get('x-sentry-direct-hit'), '1');
    assert.deepEqual(
      hit.body.map((i: any) => i.id),
      [frequent.id],
    );
    const byShortId = await client.get(`/api/0/organizations/${web.org}/issues/${frequent.shortId}/`);
    assert.equal(byShortId.body.id, frequent.id);
  });

  test('tags: every key with top values, one key, its values paged; unknown key 404', async () => {
    const frequent = (await orgList('query=Frequent')).body[0];
    const base = `/api/0/organizations/${web.org}/issues/${frequent.id}`;
    const tags = await client.get(`${base}/tags/`);
    assert.equal(tags.status, 200);
    const browser = tags.body.find((tag: any) => tag.key === 'browser');
    assert.deepEqual(
      { ...browser, topValues: browser.topValues.map((v: any) => [v.value, v.count]) },
      {
        key: 'browser',
        name: 'Browser',
        totalValues: 3,
        uniqueValues: 2,
        topValues: [
          ['Chrome', 2],
          ['Firefox', 1],
        ],
      },
    );
    assert.ok(tags.body.some((tag: any) => tag.key === 'level'));
    const one = await client.get(`${base}/tags/browser/`);
    assert.equal(one.body.totalValues, 3);
    assert.match(one.body.topValues[0].lastSeen, /Z$/);
    const page = await client.get(`${base}/tags/browser/values/?per_page=1`);
    assert.deepEqual(
      page.body.map((v: any) => v.value),
      ['Chrome'],
    );
    const next = /rel="next"; results="true"; cursor="([^"]+)"/.exec(page.headers.get('link') ?? '')?.[1];
    assert.ok(next);
    const second = await client.get(`${base}/tags/browser/values/?per_page=1&cursor=${next}`);
    assert.deepEqual(
      second.body.map((v: any) => v.value),
      ['Firefox'],
    );
    assert.equal((await client.get(`${base}/tags/nope/`)).status, 404);
    const detail = (await client.get(`${base}/`)).body;
    assert.ok(detail.tags.some((tag: any) => tag.key === 'browser' && tag.totalValues === 3));
    assert.equal(detail.stats['30d'].length, 30);
    assert.deepEqual(
      detail.activity.map((a: any) => a.type),
      ['first_seen'],
    );
  });
});
