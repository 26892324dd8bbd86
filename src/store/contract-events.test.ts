import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Issue, Project, Store, StoredEvent } from './types.ts';
import type { DiscoverQuery, EventListQuery } from './types-events.ts';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

interface Seeded {
  orgId: number;
  web: Project;
  api: Project;
  boom: Issue;
  slow: Issue;
  note: Issue;
  ids: string[];
}

/** Two projects, three issues, seven events a minute apart (ids[i] at T0 + i minutes). */
async function seed(store: Store): Promise<Seeded> {
  const org = await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 });
  const project = (slug: string) =>
    store.projects.create({ orgId: org.id, slug: uniq(slug), name: slug, platform: 'node', now: T0 });
  const web = await project('web');
  const api = await project('api');
  const issue = (p: Project, title: string, type = 'error') =>
    store.ingestWrite((tx) =>
      tx.createIssue({
        projectId: p.id,
        hashes: [uniq('h')],
        title,
        culprit: 'app.js in handler',
        type,
        metadata: {},
        level: 'error',
        firstSeen: T0,
        firstRelease: null,
        groupingVersion: 'v1',
      }),
    );
  const boom = await issue(web, 'TypeError: boom');
  const slow = await issue(web, 'TimeoutError: upstream slow');
  const note = await issue(api, 'Cache nearly full', 'default');
  const rows: [Issue, string, Record<string, string>, string | null, string | null][] = [
    [boom, 'error', { browser: 'Chrome', 'os.name': 'Linux', transaction: '/checkout' }, 'id:1', '1.0'],
    [boom, 'error', { browser: 'Firefox', transaction: '/checkout' }, 'email:a@example.com', '1.0'],
    [boom, 'fatal', { browser: 'Chrome', 'weird"key': 'q' }, 'id:1', '1.1'],
    [slow, 'error', { browser: 'Chrome' }, 'id:2', '1.1'],
    [slow, 'error', {}, null, null],
    [note, 'warning', { team: 'core' }, 'username:ops', '2.0'],
    [note, 'warning', { team: '50%_off' }, 'ip:10.0.0.1', '2.0'],
  ];
  const ids = rows.map(() => randomBytes(16).toString('hex'));
  const events: StoredEvent[] = rows.map(([issue, level, tags, userKey, release], i) => ({
    eventId: ids[i],
    projectId: issue.projectId,
    issueId: issue.id,
    timestamp: T0 + i * MINUTE,
    receivedAt: T0 + i * MINUTE + 5,
    level,
    release,
    environment: i % 2 === 0 ? 'production' : 'staging',
    userKey,
    payload: new Uint8Array([i]),
    payloadCodec: 'json',
    size: 1,
    title: issue.title,
    culprit: 'app.js in handler',
    eventType: issue.type,
    errorType: issue.type === 'error' ? issue.title.split(':')[0] : null,
    errorValue: issue.type === 'error' ? issue.title.split(': ')[1] : null,
    tags: { level, ...tags },
  }));
  // A user with an id and an email: the key names the id, the email is searchable too.
  events[0].userFields = { id: '1', email: 'one@example.com' };
  await store.ingestWrite((tx) => tx.insertEvents(events));
  return { orgId: org.id, web, api, boom, slow, note, ids };
}

for (const backend of testBackends()) {
  describe(`event query contract: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    let s: Seeded;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
      s = await seed(store);
    });
    after(() => opened?.cleanup());

    const list = (q: Partial<EventListQuery>) =>
      store.events.search({
        orgId: s.orgId,
        projectIds: [s.web.id, s.api.id],
        filters: [],
        order: 'newest',
        limit: 100,
        ...q,
      });
    const idsOf = async (q: Partial<EventListQuery>) => (await list(q)).events.map((e) => e.eventId);
    const discover = (q: Partial<DiscoverQuery>) =>
      store.events.discover({
        orgId: s.orgId,
        projectIds: [s.web.id, s.api.id],
        filters: [],
        select: [],
        having: [],
        orderBy: [],
        limit: 100,
        offset: 0,
        ...q,
      });

    test('search pages newest or oldest first by keyset, payload included', async () => {
      const first = await list({ limit: 3 });
      assert.deepEqual(
        first.events.map((e) => e.eventId),
        [s.ids[6], s.ids[5], s.ids[4]],
      );
      assert.equal(first.hasMore, true);
      assert.deepEqual([...first.events[0].payload], [6]);
      const last = first.events.at(-1)!;
      const rest = await list({ limit: 10, after: { timestamp: last.timestamp, eventId: last.eventId } });
      assert.deepEqual(
        rest.events.map((e) => e.eventId),
        [s.ids[3], s.ids[2], s.ids[1], s.ids[0]],
      );
      assert.equal(rest.hasMore, false);
      assert.deepEqual(await idsOf({ order: 'oldest', issueId: s.boom.id, limit: 1 }), [s.ids[0]]);
    });

    test('search filters: columns, tags, globs, has, text, issue status, time', async () => {
      assert.deepEqual(
        await idsOf({
          order: 'oldest',
          filters: [{ kind: 'in', attr: { column: 'level' }, negated: false, values: ['fatal', 'warning'] }],
        }),
        [s.ids[2], s.ids[5], s.ids[6]],
      );
      // Negation keeps events where the attribute is absent.
      assert.deepEqual(
        await idsOf({
          order: 'oldest',
          filters: [{ kind: 'in', attr: { column: 'release' }, negated: true, values: ['1.0', '2.0'] }],
        }),
        [s.ids[2], s.ids[3], s.ids[4]],
      );
      assert.deepEqual(
        await idsOf({
          order: 'oldest',
          filters: [{ kind: 'in', attr: { tag: 'browser' }, negated: false, values: ['Chrome'] }],
        }),
        [s.ids[0], s.ids[2], s.ids[3]],
      );
      assert.deepEqual(
        await idsOf({
          filters: [{ kind: 'in', attr: { tag: 'os.name' }, negated: false, values: ['Linux'] }],
        }),
        [s.ids[0]],
      );
      assert.deepEqual(
        await idsOf({ filters: [{ kind: 'in', attr: { tag: 'weird"key' }, negated: false, values: ['q'] }] }),
        [s.ids[2]],
      );
      assert.deepEqual(
        await idsOf({
          filters: [{ kind: 'in', attr: { column: 'transaction' }, negated: false, values: ['/checkout'] }],
        }),
        [s.ids[1], s.ids[0]],
      );
      // Globs are case-insensitive and treat % and _ literally.
      assert.deepEqual(
        await idsOf({ filters: [{ kind: 'like', attr: { tag: 'team' }, negated: false, pattern: '50%*' }] }),
        [s.ids[6]],
      );
      assert.deepEqual(
        await idsOf({
          filters: [{ kind: 'like', attr: { column: 'title' }, negated: false, pattern: '*UPSTREAM*' }],
        }),
        [s.ids[4], s.ids[3]],
      );
      assert.deepEqual(
        await idsOf({ order: 'oldest', filters: [{ kind: 'has', attr: { tag: 'browser' }, negated: true }] }),
        [s.ids[4], s.ids[5], s.ids[6]],
      );
      assert.deepEqual(
        await idsOf({ filters: [{ kind: 'has', attr: { column: 'user.email' }, negated: false }] }),
        [s.ids[1], s.ids[0]],
      );
      assert.deepEqual(
        await idsOf({
          filters: [
            { kind: 'in', attr: { column: 'user.email' }, negated: false, values: ['one@example.com'] },
          ],
        }),
        [s.ids[0]],
        'an email beside the id the key names',
      );
      assert.deepEqual(await idsOf({ filters: [{ kind: 'text', value: 'nearly', negated: false }] }), [
        s.ids[6],
        s.ids[5],
      ]);
      assert.deepEqual(await idsOf({ filters: [{ kind: 'text', value: 'BOOM', negated: false }] }), [
        s.ids[2],
        s.ids[1],
        s.ids[0],
      ]);
      assert.deepEqual(
        await idsOf({
          filters: [{ kind: 'in', attr: { column: 'user.id' }, negated: false, values: ['1'] }],
        }),
        [s.ids[2], s.ids[0]],
      );
      assert.deepEqual(
        await idsOf({
          filters: [
            {
              kind: 'in',
              attr: { column: 'issue' },
              negated: false,
              values: [`${s.api.slug.toUpperCase()}-1`],
            },
          ],
        }),
        [s.ids[6], s.ids[5]],
      );
      assert.deepEqual(await idsOf({ start: T0 + 5 * MINUTE }), [s.ids[6], s.ids[5]]);
      assert.deepEqual(await idsOf({ end: T0 + MINUTE }), [s.ids[1], s.ids[0]]);
      assert.deepEqual(
        await idsOf({
          filters: [{ kind: 'compare', attr: { column: 'timestamp' }, op: '>', value: T0 + 5 * MINUTE }],
        }),
        [s.ids[6]],
      );
      await store.issues.update([
        {
          issueId: s.slow.id,
          status: { status: 'resolved', substatus: null, resolvedAt: T0, details: null },
          activities: [{ type: 'set_resolved', data: {}, actor: 'system', createdAt: T0 }],
        },
      ]);
      assert.deepEqual(
        await idsOf({ filters: [{ kind: 'issue-status', statuses: ['resolved'], negated: false }] }),
        [s.ids[4], s.ids[3]],
      );
    });

    test('an organisation never sees another one’s events', async () => {
      const other = await seed(store);
      assert.deepEqual(await idsOf({ orgId: other.orgId }), []);
      assert.deepEqual(await idsOf({ projectIds: [other.web.id] }), []);
      const rows = await discover({ orgId: other.orgId, select: [{ aggregate: { fn: 'count' } }] });
      assert.deepEqual(rows.rows, [[0]]);
    });

    test('discover selects columns and sorts, offset paging with a stable tiebreak', async () => {
      const page = await discover({
        select: [
          { attr: { column: 'id' } },
          { attr: { column: 'level' } },
          { attr: { column: 'project' } },
          { attr: { column: 'timestamp' } },
        ],
        orderBy: [{ index: 1, desc: false }],
        limit: 4,
      });
      assert.equal(page.hasMore, true);
      // level ascending ("error" < "fatal" < "warning"), newest first within a level.
      assert.deepEqual(
        page.rows.map((r) => r[0]),
        [s.ids[4], s.ids[3], s.ids[1], s.ids[0]],
      );
      assert.deepEqual(page.rows[0].slice(1), ['error', s.web.slug, T0 + 4 * MINUTE]);
      const next = await discover({
        select: [{ attr: { column: 'id' } }, { attr: { column: 'level' } }],
        orderBy: [{ index: 1, desc: false }],
        limit: 4,
        offset: 4,
      });
      assert.deepEqual(
        next.rows.map((r) => r[0]),
        [s.ids[2], s.ids[6], s.ids[5]],
      );
      assert.equal(next.hasMore, false);
      const derived = await discover({
        select: [
          { attr: { column: 'issue' } },
          { attr: { column: 'message' } },
          { attr: { column: 'user.display' } },
          { attr: { column: 'error.type' } },
          { attr: { tag: 'browser' } },
        ],
        filters: [{ kind: 'in', attr: { column: 'id' }, negated: false, values: [s.ids[1], s.ids[5]] }],
      });
      assert.deepEqual(derived.rows, [
        [`${s.api.slug.toUpperCase()}-1`, 'Cache nearly full', 'ops', null, null],
        [`${s.web.slug.toUpperCase()}-1`, 'TypeError: boom', 'a@example.com', 'TypeError', 'Firefox'],
      ]);
      const both = await discover({
        select: [
          { attr: { column: 'user.id' } },
          { attr: { column: 'user.email' } },
          { attr: { column: 'user.display' } },
        ],
        filters: [{ kind: 'in', attr: { column: 'id' }, negated: false, values: [s.ids[0]] }],
      });
      assert.deepEqual(both.rows, [['1', 'one@example.com', 'one@example.com']], 'display: email first');
    });

    test('discover aggregates group by the other selections, with HAVING', async () => {
      const byIssue = await discover({
        select: [
          { attr: { column: 'issue.id' } },
          { aggregate: { fn: 'count' } },
          { aggregate: { fn: 'count_unique', attr: { column: 'user' } } },
          { aggregate: { fn: 'max', attr: { column: 'timestamp' } } },
        ],
        orderBy: [{ index: 1, desc: true }],
      });
      assert.deepEqual(byIssue.rows, [
        [s.boom.id, 3, 2, T0 + 2 * MINUTE],
        // Equal counts: ties go by the grouping columns, ascending.
        [s.slow.id, 2, 1, T0 + 4 * MINUTE],
        [s.note.id, 2, 2, T0 + 6 * MINUTE],
      ]);
      const busy = await discover({
        select: [{ attr: { tag: 'browser' } }, { aggregate: { fn: 'count' } }],
        having: [{ aggregate: { fn: 'count' }, op: '>=', value: 2 }],
        orderBy: [{ index: 0, desc: false }],
      });
      assert.deepEqual(busy.rows, [
        ['Chrome', 3],
        [null, 3],
      ]);
      const total = await discover({ select: [{ aggregate: { fn: 'count' } }], projectIds: [s.web.id] });
      assert.deepEqual(total.rows, [[5]]);
    });

    test('NUL characters in indexed text are stored (PostgreSQL text cannot hold them)', async () => {
      const id = randomBytes(16).toString('hex');
      const event: StoredEvent = {
        eventId: id,
        projectId: s.web.id,
        issueId: s.boom.id,
        timestamp: T0,
        receivedAt: T0,
        level: 'error',
        release: null,
        environment: 'production',
        userKey: null,
        payload: new Uint8Array([0]),
        payloadCodec: 'json',
        size: 1,
        title: 'nul\0title',
        errorValue: 'v\0',
        tags: { 'k\0': 'x\0y' },
      };
      assert.deepEqual(await store.ingestWrite((tx) => tx.insertEvents([event])), new Set([id]));
      const found = await discover({
        select: [{ attr: { column: 'title' } }],
        filters: [{ kind: 'in', attr: { column: 'id' }, negated: false, values: [id] }],
      });
      assert.match(String(found.rows[0][0]), /^nul.title$/);
    });

    test('tag keys with distinct and total counts, by key', async () => {
      const keys = await store.events.tagKeys({ orgId: s.orgId, projectIds: [s.web.id] });
      // Tag values per issue are written by the digest, not by insertEvents.
      assert.deepEqual(keys, []);
      await store.ingestWrite((tx) =>
        tx.addTagValues([
          { issueId: s.boom.id, key: 'browser', value: 'Chrome', count: 2, firstSeen: T0, lastSeen: T0 },
          { issueId: s.boom.id, key: 'browser', value: 'Firefox', count: 1, firstSeen: T0, lastSeen: T0 },
          {
            issueId: s.slow.id,
            key: 'browser',
            value: 'Chrome',
            count: 1,
            firstSeen: T0,
            lastSeen: T0 + MINUTE,
          },
          { issueId: s.note.id, key: 'team', value: 'core', count: 1, firstSeen: T0, lastSeen: T0 },
        ]),
      );
      assert.deepEqual(await store.events.tagKeys({ orgId: s.orgId, projectIds: [s.web.id, s.api.id] }), [
        { key: 'browser', uniqueValues: 2, totalValues: 4 },
        { key: 'team', uniqueValues: 1, totalValues: 1 },
      ]);
      assert.deepEqual(
        await store.events.tagKeys({ orgId: s.orgId, projectIds: [s.web.id], since: T0 + MINUTE }),
        [{ key: 'browser', uniqueValues: 1, totalValues: 1 }],
      );
    });
  });
}
