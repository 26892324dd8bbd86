import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import type { IssueStatus, IssueSubstatus } from '../src/store/types.ts';
import { apiClient, sendEvent, startServerOn, titles } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

const DAY = 86_400_000;
const PAYMENT = 'PaymentError: card declined';
const CACHE = 'Cache nearly full';
const DISK = 'Disk 100% full_now';

for (const backend of ['sqlite', 'postgres'] as const)
  describe(`issue search syntax over the Web API (${backend})`, () => {
    let t: TestServer;
    let s: SetupResult;
    let api: ReturnType<typeof apiClient>;
    const ids: Record<string, string> = {};
    const shortIds: Record<string, string> = {};

    before(async () => {
      t = await startServerOn(backend);
      s = await t.setup();
      api = apiClient(t.url, s.token);
      const threeDaysAgo = (Date.now() - 3 * DAY) / 1000;
      const payment = {
        exception: { values: [{ type: 'PaymentError', value: 'card declined' }] },
        level: 'error',
        environment: 'production',
        release: 'web@1.0.0',
        tags: { server: 'web-1' },
        // Keyed by its id (the `user` tag says id:u1); its email must still find the issue.
        user: { id: 'u1', email: 'p@example.com' },
      };
      await sendEvent(t, s, { ...payment, timestamp: threeDaysAgo });
      await sendEvent(t, s, payment);
      await sendEvent(t, s, payment);
      await sendEvent(t, s, {
        message: CACHE,
        level: 'warning',
        environment: 'staging',
        release: 'web@1.1.0',
        tags: { server: 'web-2' },
        user: { email: 'b@example.com' },
      });
      await sendEvent(t, s, { message: DISK, level: 'fatal', environment: 'production' });
      const all = await api.get(`/api/0/projects/${s.org}/${s.project}/issues/?query=`);
      for (const issue of all.body) {
        ids[issue.title] = issue.id;
        shortIds[issue.title] = issue.shortId;
      }
      assert.deepEqual(Object.keys(ids).sort(), [CACHE, DISK, PAYMENT]);
    });
    after(() => t.close());

    const search = async (query: string | null, extra = '') => {
      const q = query === null ? '' : `query=${encodeURIComponent(query)}&`;
      return titles(await api.get(`/api/0/projects/${s.org}/${s.project}/issues/?${q}${extra}`));
    };
    const refused = async (query: string) => {
      const answer = await api.get(
        `/api/0/projects/${s.org}/${s.project}/issues/?query=${encodeURIComponent(query)}`,
      );
      assert.equal(answer.status, 400, `${query} → ${answer.status}`);
      return answer.body.detail as string;
    };

    const setStatus = (
      status: IssueStatus,
      substatus: IssueSubstatus,
      resolvedAt: number | null,
      type: string,
    ) =>
      t.server.ctx.store.issues.update([
        {
          issueId: Number(ids[CACHE]),
          status: { status, substatus, resolvedAt, details: null },
          activities: [{ type, data: {}, actor: 'system', createdAt: Date.now() }],
        },
      ]);

    test('is: states and the default query; an empty query is every status', async () => {
      await setStatus('resolved', null, Date.now(), 'set_resolved');
      try {
        assert.deepEqual(await search(null), [DISK, PAYMENT], 'no query → is:unresolved');
        assert.deepEqual(await search(''), [CACHE, DISK, PAYMENT]);
        assert.deepEqual(await search('is:resolved'), [CACHE]);
        assert.deepEqual(await search('!is:resolved'), [DISK, PAYMENT]);
        assert.deepEqual(await search('is:unresolved is:resolved'), [CACHE, DISK, PAYMENT]);
        assert.deepEqual(await search('is:ignored'), []);
        assert.deepEqual(await search('is:unassigned is:unresolved'), [DISK, PAYMENT]);
        assert.deepEqual(await search('is:assigned'), []);
        assert.deepEqual(await search('is:new'), [DISK, PAYMENT]);
        assert.deepEqual(await search('is:for_review'), [DISK, PAYMENT]);
        assert.deepEqual(await search('is:regressed'), []);
      } finally {
        await setStatus('unresolved', 'ongoing', null, 'set_unresolved');
      }
    });

    test('level:, with lists and negation', async () => {
      assert.deepEqual(await search('level:error'), [PAYMENT]);
      assert.deepEqual(await search('!level:error'), [CACHE, DISK]);
      assert.deepEqual(await search('level:[warning, fatal]'), [CACHE, DISK]);
      assert.deepEqual(await search('level:info'), []);
    });

    test('release: and environment: (query and parameter), negated', async () => {
      assert.deepEqual(await search('release:web@1.0.0'), [PAYMENT]);
      assert.deepEqual(await search('!release:web@1.0.0'), [CACHE, DISK]);
      assert.deepEqual(await search('release:"web@1.1.0"'), [CACHE]);
      assert.deepEqual(await search('release:latest'), [CACHE]);
      assert.deepEqual(await search('environment:production'), [DISK, PAYMENT]);
      assert.deepEqual(await search('!environment:production'), [CACHE]);
      assert.deepEqual(await search('', 'environment=staging'), [CACHE]);
      assert.deepEqual(await search('', 'environment=staging&environment=production'), [
        CACHE,
        DISK,
        PAYMENT,
      ]);
    });

    test('firstSeen: / lastSeen: relative and absolute, with comparisons', async () => {
      assert.deepEqual(await search('firstSeen:-24h'), [CACHE, DISK]);
      assert.deepEqual(await search('!firstSeen:-24h'), [PAYMENT]);
      assert.deepEqual(await search('age:+2d'), [PAYMENT]);
      assert.deepEqual(await search('first-seen:+7d'), []);
      const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10);
      assert.deepEqual(await search(`firstSeen:<${yesterday}`), [PAYMENT]);
      assert.deepEqual(await search(`firstSeen:>=${yesterday}`), [CACHE, DISK]);
      assert.deepEqual(await search('lastSeen:-1h'), [CACHE, DISK, PAYMENT]);
      assert.deepEqual(await search('lastSeen:+1h'), []);
      assert.deepEqual(await search(`lastSeen:>${new Date(Date.now() + DAY).toISOString()}`), []);
    });

    test('times_seen: comparisons and equality', async () => {
      assert.deepEqual(await search('times_seen:>1'), [PAYMENT]);
      assert.deepEqual(await search('timesSeen:>=3'), [PAYMENT]);
      assert.deepEqual(await search('times_seen:1'), [CACHE, DISK]);
      assert.deepEqual(await search('!times_seen:1'), [PAYMENT]);
      assert.deepEqual(await search('times_seen:<=2'), [CACHE, DISK]);
    });

    test('any tag key:value, user.*, tags[…], wildcards; has: and !has:', async () => {
      assert.deepEqual(await search('server:web-1'), [PAYMENT]);
      assert.deepEqual(await search('server:web-*'), [CACHE, PAYMENT]);
      assert.deepEqual(await search('!server:web-1'), [CACHE, DISK]);
      assert.deepEqual(await search('tags[server]:web-2'), [CACHE]);
      assert.deepEqual(await search('user.id:u1'), [PAYMENT]);
      assert.deepEqual(await search('user.email:b@example.com'), [CACHE]);
      assert.deepEqual(await search('has:server'), [CACHE, PAYMENT]);
      assert.deepEqual(await search('!has:server'), [DISK]);
      assert.deepEqual(await search('has:release'), [CACHE, PAYMENT]);
      assert.deepEqual(await search('has:user.email'), [CACHE, PAYMENT]);
      assert.deepEqual(await search('!has:user.email'), [DISK]);
    });

    test("user.* finds an issue by any of its events' user fields, as event search does", async () => {
      assert.deepEqual(await search('user.email:p@example.com'), [PAYMENT]);
      assert.deepEqual(await search('user.email:P@*'), [], 'values match as stored');
      assert.deepEqual(await search('user.email:p@*'), [PAYMENT]);
      assert.deepEqual(await search('user.email:[p@example.com, b@example.com]'), [CACHE, PAYMENT]);
      assert.deepEqual(await search('!user.email:p@example.com'), [CACHE, DISK]);
      assert.deepEqual(await search('user.id:u1 user.email:p@example.com'), [PAYMENT]);
      assert.deepEqual(await search('user.email:u1'), [], 'an id is not an email');
      // The fields are searchable, not tags: the issue's tags show the `user` tag alone.
      const tags = await api.get(`/api/0/organizations/${s.org}/issues/${ids[PAYMENT]}/tags/`);
      assert.equal(tags.status, 200, JSON.stringify(tags.body));
      assert.deepEqual(
        tags.body.map((tag: { key: string }) => tag.key).filter((key: string) => key.includes('user')),
        ['user'],
      );
      const keys = await api.get(`/api/0/organizations/${s.org}/tags/?project=${s.projectId}`);
      assert.equal(keys.status, 200, JSON.stringify(keys.body));
      assert.ok(
        !keys.body.some((tag: { key: string }) => tag.key.startsWith('sentry:')),
        JSON.stringify(keys.body),
      );
    });

    test('free text on title and culprit: case-insensitive, quoted, wildcards literal', async () => {
      assert.deepEqual(await search('declined'), [PAYMENT]);
      assert.deepEqual(await search('CARD DECLINED'), [PAYMENT]);
      assert.deepEqual(await search('"Disk 100%"'), [DISK]);
      assert.deepEqual(await search('100%'), [DISK]);
      assert.deepEqual(await search('l_now'), [DISK]);
      assert.deepEqual(await search('l%now'), []);
      assert.deepEqual(await search('nearly level:fatal'), []);
      assert.deepEqual(await search('message:nearly'), [CACHE]);
    });

    test('issue: short id, issue.id:, error.type:', async () => {
      assert.deepEqual(await search(`issue:${shortIds[DISK]}`), [DISK]);
      assert.deepEqual(await search(`issue.id:${ids[CACHE]}`), [CACHE]);
      assert.deepEqual(await search(`!issue.id:${ids[CACHE]}`), [DISK, PAYMENT]);
      assert.deepEqual(await search('error.type:PaymentError'), [PAYMENT]);
      assert.deepEqual(await search('!error.type:PaymentError'), [CACHE, DISK]);
      assert.deepEqual(await search(`issue:[${shortIds[DISK].toLowerCase()}, ${ids[CACHE]}]`), [CACHE, DISK]);
      // Another project's issue, or one that does not exist, matches nothing.
      const other = await t.setup();
      await sendEvent(t, other, { message: 'Elsewhere' });
      const [elsewhere] = (
        await apiClient(t.url, other.token).get(`/api/0/projects/${other.org}/${other.project}/issues/`)
      ).body;
      assert.deepEqual(await search(`issue:[${elsewhere.shortId}, ${elsewhere.id}, NOPE-1, 999999999]`), []);
      assert.deepEqual(await search(`!issue:${elsewhere.shortId}`), [CACHE, DISK, PAYMENT]);
      assert.match(await refused(`issue.id:${shortIds[DISK]}`), /expected an issue id$/);
      assert.match(await refused('issue:nonsense'), /expected an issue id or short id/);
    });

    test('an invalid query is a 400 naming the bad token', async () => {
      assert.match(await refused('frobnicate:yes'), /"frobnicate:yes".*unknown search key/);
      assert.match(await refused('level:error times_seen:abc'), /"times_seen:abc"/);
      assert.match(await refused('is:bogus'), /"is:bogus"/);
      assert.match(await refused('level:>error'), /"level:>error"/);
      assert.match(await refused('firstSeen:yesterday'), /"firstSeen:yesterday"/);
      assert.match(await refused('level:error release:"web'), /"release:"web": unterminated quote/);
      assert.match(await refused('assigned:#no-such-team'), /"assigned:#no-such-team"/);
      assert.match(await refused('assigned:me'), /"assigned:me".*not belong to a user/);
      const many = Array.from({ length: 101 }, (_, i) => `user${i}@example.com`).join(',');
      assert.match(
        await refused(`is:unresolved assigned:[${many}]`),
        /^invalid search token "assigned:\[user0@example\.com,.*\.\.\.": more than 100 values in a list$/,
      );
    });
  });
