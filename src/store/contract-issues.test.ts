import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Issue, IssueSort, NewIssue, Project, Store, StoredEvent, TagValueCount } from './types.ts';
import type { IssueCondition } from './types-issues.ts';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;
const HOUR = 3_600_000;

const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function seedProject(store: Store): Promise<Project> {
  const org = await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 });
  return store.projects.create({ orgId: org.id, slug: uniq('web'), name: 'Web', platform: 'node', now: T0 });
}

interface Seed {
  title?: string;
  culprit?: string;
  level?: string;
  type?: string;
  seen?: number;
  firstSeen?: number;
  lastSeen?: number;
  tags?: Record<string, string>;
}

/** An issue as ingest would leave it: counters, display fields and tag values. */
/** A stored event of the issue at `timestamp`. */
function eventAt(issue: Issue, timestamp: number): StoredEvent {
  return {
    eventId: randomBytes(16).toString('hex'),
    projectId: issue.projectId,
    issueId: issue.id,
    timestamp,
    receivedAt: timestamp,
    level: 'error',
    release: null,
    environment: 'production',
    userKey: null,
    payload: new Uint8Array([1]),
    payloadCodec: 'json',
    size: 1,
  };
}

async function seedIssue(store: Store, project: Project, seed: Seed = {}): Promise<Issue> {
  const firstSeen = seed.firstSeen ?? T0;
  const lastSeen = seed.lastSeen ?? firstSeen;
  const input: NewIssue = {
    projectId: project.id,
    hashes: [randomBytes(8).toString('hex')],
    title: seed.title ?? 'TypeError: boom',
    culprit: seed.culprit ?? 'app.js in handler',
    type: 'error',
    metadata: { type: seed.type ?? 'TypeError', value: 'boom' },
    level: seed.level ?? 'error',
    firstSeen,
    firstRelease: '1.0.0',
    groupingVersion: 'v1',
  };
  const id = await store.ingestWrite(async (tx) => {
    const issue = await tx.createIssue(input);
    await tx.updateIssues([
      {
        issueId: issue.id,
        addTimesSeen: seed.seen ?? 1,
        addUserCount: 0,
        firstSeen,
        lastSeen,
        title: input.title,
        culprit: input.culprit,
        metadata: input.metadata,
        level: input.level,
        lastRelease: '1.0.0',
        reopenAs: undefined,
      },
    ]);
    const tags = Object.entries(seed.tags ?? {}).map(([key, value]) => ({
      issueId: issue.id,
      key,
      value,
      count: 1,
      firstSeen,
      lastSeen,
    }));
    if (tags.length > 0) await tx.addTagValues(tags);
    return issue.id;
  });
  return (await store.issues.getById(id))!;
}

for (const backend of testBackends()) {
  describe(`issue workflow store contract: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened?.cleanup());

    const search = async (project: Project, conditions: IssueCondition[], sort: IssueSort = 'date') => {
      const page = await store.issues.list({
        orgId: project.orgId,
        projectIds: [project.id],
        filter: { conditions },
        sort,
        limit: 100,
      });
      return page.issues.map((i) => i.title).sort();
    };

    test('search conditions: columns, comparisons, ids, text, metadata; negation is the exact complement', async () => {
      const project = await seedProject(store);
      await seedIssue(store, project, {
        title: 'A 100% failure',
        level: 'error',
        seen: 5,
        lastSeen: T0 + HOUR,
      });
      await seedIssue(store, project, { title: 'B warned', level: 'warning', seen: 1, type: 'RangeError' });
      const c = await seedIssue(store, project, {
        title: 'C fatal',
        culprit: 'Payments_Service',
        level: 'fatal',
        seen: 10,
        firstSeen: T0 + 2 * HOUR,
      });
      const all = ['A 100% failure', 'B warned', 'C fatal'];
      assert.deepEqual(await search(project, [{ field: 'level', values: ['error', 'fatal'] }]), [
        all[0],
        all[2],
      ]);
      assert.deepEqual(await search(project, [{ field: 'level', values: ['error'], negate: true }]), [
        all[1],
        all[2],
      ]);
      assert.deepEqual(await search(project, [{ field: 'timesSeen', op: '>=', value: 5 }]), [all[0], all[2]]);
      assert.deepEqual(await search(project, [{ field: 'timesSeen', op: '<', value: 5 }]), [all[1]]);
      assert.deepEqual(await search(project, [{ field: 'firstSeen', op: '>', value: T0 }]), [all[2]]);
      assert.deepEqual(await search(project, [{ field: 'lastSeen', op: '<=', value: T0 }]), [all[1]]);
      assert.deepEqual(await search(project, [{ field: 'id', values: [c.id] }]), [all[2]]);
      // LIKE's own wildcards in the text are literal; case is ignored; the culprit counts too.
      assert.deepEqual(await search(project, [{ field: 'text', value: '100%' }]), [all[0]]);
      assert.deepEqual(await search(project, [{ field: 'text', value: '0% F' }]), [all[0]]);
      assert.deepEqual(await search(project, [{ field: 'text', value: 'payments_' }]), [all[2]]);
      assert.deepEqual(await search(project, [{ field: 'text', value: 's_s' }]), [all[2]]);
      assert.deepEqual(await search(project, [{ field: 'text', value: '_' }]), [all[2]]);
      assert.deepEqual(await search(project, [{ field: 'errorType', values: ['RangeError'] }]), [all[1]]);
      assert.deepEqual(await search(project, [{ field: 'errorType', values: ['Type*'] }]), [all[0], all[2]]);
      assert.deepEqual(await search(project, [{ field: 'constant', value: false }]), []);
      assert.deepEqual(
        await search(project, [
          {
            field: 'any',
            conditions: [
              { field: 'level', values: ['warning'] },
              {
                field: 'all',
                conditions: [
                  { field: 'timesSeen', op: '>', value: 1 },
                  { field: 'text', value: 'fatal' },
                ],
              },
            ],
          },
        ]),
        [all[1], all[2]],
      );
    });

    test('seenBetween: an event or a bucket wholly inside the window, not first and last seen around it', async () => {
      const project = await seedProject(store);
      const gap = await seedIssue(store, project, { title: 'Gap', firstSeen: T0, lastSeen: T0 + 10 * HOUR });
      const bucketed = await seedIssue(store, project, { title: 'Bucketed', firstSeen: T0 + HOUR });
      await store.ingestWrite(async (tx) => {
        await tx.insertEvents([eventAt(gap, T0), eventAt(gap, T0 + 10 * HOUR)]);
        // Counted in the 01:00 hour (and its first minute) but with no stored event, as after pruning.
        await tx.addIssueBuckets([
          { issueId: bucketed.id, projectId: project.id, start: T0 + HOUR, count: 3 },
        ]);
      });
      const seen = (start: number, end: number) => search(project, [{ field: 'seenBetween', start, end }]);
      assert.deepEqual(await seen(T0 + 2 * HOUR, T0 + 9 * HOUR), [], 'seen before and after only');
      assert.deepEqual(await seen(T0, T0 + MINUTE), ['Gap'], 'an event at the start is inside');
      assert.deepEqual(await seen(T0 + 9 * HOUR, T0 + 10 * HOUR), [], 'the end is outside');
      assert.deepEqual(await seen(T0 + HOUR, T0 + 2 * HOUR), ['Bucketed'], 'a whole hour bucket');
      assert.deepEqual(await seen(T0 + HOUR, T0 + HOUR + MINUTE), ['Bucketed'], 'a whole minute bucket');
      assert.deepEqual(await seen(T0 + HOUR + 30_000, T0 + 2 * HOUR), [], 'a bucket only partly inside');
      assert.deepEqual(
        await search(project, [
          { field: 'seenBetween', start: T0 + 2 * HOUR, end: T0 + 9 * HOUR, negate: true },
        ]),
        ['Bucketed', 'Gap'],
      );
    });

    test('search on tags: exact, lists, case-sensitive wildcards, has, and their negations', async () => {
      const project = await seedProject(store);
      await seedIssue(store, project, {
        title: 'prod web',
        tags: { environment: 'production', server: 'web-1' },
      });
      await seedIssue(store, project, { title: 'stage', tags: { environment: 'staging' } });
      await seedIssue(store, project, { title: 'untagged' });
      const tag = (key: string, values: string[], negate = false): IssueCondition => ({
        field: 'tag',
        key,
        values,
        negate,
      });
      assert.deepEqual(await search(project, [tag('environment', ['production'])]), ['prod web']);
      assert.deepEqual(await search(project, [tag('environment', ['production', 'staging'])]), [
        'prod web',
        'stage',
      ]);
      assert.deepEqual(await search(project, [tag('environment', ['production'], true)]), [
        'stage',
        'untagged',
      ]);
      assert.deepEqual(await search(project, [tag('server', ['web-*'])]), ['prod web']);
      assert.deepEqual(await search(project, [tag('server', ['WEB-*'])]), []);
      assert.deepEqual(await search(project, [tag('server', ['web_1'])]), [], '_ is not a wildcard');
      assert.deepEqual(await search(project, [tag('environment', ['*ing'])]), ['stage']);
      assert.deepEqual(await search(project, [{ field: 'hasTag', key: 'server' }]), ['prod web']);
      assert.deepEqual(await search(project, [{ field: 'hasTag', key: 'server', negate: true }]), [
        'stage',
        'untagged',
      ]);
      assert.equal(await store.issues.tagKeyExists([project.id], 'server'), true);
      assert.equal(await store.issues.tagKeyExists([project.id], 'nope'), false);
      const other = await seedProject(store);
      assert.equal(
        await store.issues.tagKeyExists([other.id], 'server'),
        false,
        'only the given projects count',
      );
    });

    test('user identities: written once, keys found by value or wildcard per project; has: by tag or identity', async () => {
      const project = await seedProject(store);
      const other = await seedProject(store);
      await seedIssue(store, project, { title: 'keyed by id', tags: { user: 'id:u1' } });
      await seedIssue(store, project, { title: 'keyed by email', tags: { user: 'email:b@example.com' } });
      await seedIssue(store, project, { title: 'no email', tags: { user: 'id:u3' } });
      const row = (projectId: number, userKey: string, field: string, value: string) => ({
        projectId,
        userKey,
        field,
        value,
      });
      await store.ingestWrite(async (tx) => {
        await tx.addUserIdentities([
          row(project.id, 'id:u1', 'id', 'u1'),
          row(project.id, 'id:u1', 'email', 'a@example.com'),
          row(project.id, 'id:u3', 'id', 'u3'),
          row(project.id, 'id:u3', 'username', 'carol'),
          row(other.id, 'id:u9', 'email', 'a@example.com'),
        ]);
      });
      // Written again (another server, or after a restart): nothing changes, nothing fails.
      await store.ingestWrite((tx) =>
        tx.addUserIdentities([row(project.id, 'id:u1', 'email', 'a@example.com')]),
      );
      const keys = async (values: string[], projectIds = [project.id], limit = 10) =>
        (await store.issues.userKeysWithIdentity(projectIds, 'email', values, limit))
          .map((u) => `${u.projectId === project.id ? 'p' : 'o'}/${u.userKey}`)
          .sort();
      assert.deepEqual(await keys(['a@example.com']), ['p/id:u1']);
      assert.deepEqual(await keys(['a@example.com'], [project.id, other.id]), ['o/id:u9', 'p/id:u1']);
      assert.deepEqual(await keys(['*@example.com']), ['p/id:u1']);
      assert.deepEqual(await keys(['*@example.com', 'a@example.com']), ['p/id:u1'], 'each user once');
      assert.deepEqual(await keys(['A@*']), [], 'case-sensitive, as tag values');
      assert.deepEqual(await keys(['a@example_com']), [], '_ is no wildcard');
      assert.deepEqual(await keys(['nobody@example.com']), []);
      assert.equal((await keys(['*'], [project.id, other.id], 1)).length, 1, 'at most the limit');
      const has = (name: 'email' | 'username', negate = false): IssueCondition => ({
        field: 'hasUserField',
        name,
        negate,
      });
      assert.deepEqual(await search(project, [has('email')]), ['keyed by email', 'keyed by id']);
      assert.deepEqual(await search(project, [has('email', true)]), ['no email']);
      assert.deepEqual(await search(project, [has('username')]), ['no email']);
    });

    test('update: conditional status with details, assignee and activities; workflow reads them back', async () => {
      const project = await seedProject(store);
      const issue = await seedIssue(store, project, { title: 'to ignore', seen: 4 });
      const user = await store.users.create({
        email: `${uniq('ada')}@example.com`,
        name: 'Ada',
        passwordHash: null,
        now: T0,
      });
      const details = { kind: 'ignored' as const, ignoreCount: 3, timesSeen: 4, userCount: 0, ignoredAt: T0 };
      const [ignored] = await store.issues.update([
        {
          issueId: issue.id,
          from: ['unresolved'],
          status: { status: 'ignored', substatus: 'archived_until_condition_met', resolvedAt: null, details },
          assignee: { userId: user.id, teamId: null },
          activities: [
            { type: 'set_ignored', data: { ignoreCount: 3 }, actor: `user:${user.id}`, createdAt: T0 + 1 },
            {
              type: 'assigned',
              data: { assignee: String(user.id) },
              actor: `user:${user.id}`,
              createdAt: T0 + 2,
            },
          ],
        },
      ]);
      assert.deepEqual(
        [ignored.status, ignored.substatus as string],
        ['ignored', 'archived_until_condition_met'],
      );
      const workflow = (await store.issues.workflow([issue.id, 999_999])).get(issue.id)!;
      assert.deepEqual(workflow, {
        issueId: issue.id,
        statusDetails: details,
        assignee: { userId: user.id, teamId: null },
        numComments: 0,
        unhandled: false,
      });
      assert.equal((await store.issues.workflow([issue.id, 999_999])).size, 1);
      // Unhandled once any of its events was: the `handled:no` tag value ingest counts.
      await store.ingestWrite((tx) =>
        tx.addTagValues([
          { issueId: issue.id, key: 'handled', value: 'no', count: 1, firstSeen: T0, lastSeen: T0 },
        ]),
      );
      assert.equal((await store.issues.workflow([issue.id])).get(issue.id)?.unhandled, true);
      assert.deepEqual(
        (await store.issues.activities(issue.id)).map((a) => [a.type, a.actor]),
        [
          ['set_ignored', `user:${user.id}`],
          ['assigned', `user:${user.id}`],
        ],
      );

      // A lost race: the issue is no longer unresolved, so nothing is written, activity included.
      const skipped = await store.issues.update([
        {
          issueId: issue.id,
          from: ['unresolved'],
          assignee: { userId: null, teamId: 7 },
          activities: [{ type: 'assigned', data: {}, actor: 'token:1', createdAt: T0 + 3 }],
        },
      ]);
      assert.deepEqual(skipped, []);
      assert.equal((await store.issues.activities(issue.id)).length, 2);

      // Ingest reopening the issue leaves the stored details behind; they no longer apply.
      await store.ingestWrite((tx) =>
        tx.updateIssues([
          {
            issueId: issue.id,
            addTimesSeen: 1,
            addUserCount: 0,
            firstSeen: T0,
            lastSeen: T0 + MINUTE,
            title: 'to ignore',
            culprit: 'x',
            metadata: {},
            level: 'error',
            lastRelease: null,
            reopenAs: 'escalating',
          },
        ]),
      );
      assert.equal((await store.issues.workflow([issue.id])).get(issue.id)?.statusDetails, null);
      const [team] = await store.issues.update([
        { issueId: issue.id, assignee: { userId: null, teamId: 42 }, activities: [] },
      ]);
      assert.equal(team.status, 'unresolved');
      assert.deepEqual((await store.issues.workflow([issue.id])).get(issue.id)?.assignee, {
        userId: null,
        teamId: 42,
      });
    });

    test('search on assignee: a user, a team, anyone, no one', async () => {
      const project = await seedProject(store);
      const user = await store.users.create({
        email: `${uniq('bo')}@example.com`,
        name: 'Bo',
        passwordHash: null,
        now: T0,
      });
      const mine = await seedIssue(store, project, { title: 'mine' });
      const team = await seedIssue(store, project, { title: 'team' });
      await seedIssue(store, project, { title: 'nobody' });
      await store.issues.update([
        { issueId: mine.id, assignee: { userId: user.id, teamId: null }, activities: [] },
        { issueId: team.id, assignee: { userId: null, teamId: 5 }, activities: [] },
      ]);
      const assignee = (values: IssueCondition & { field: 'assignee' }) => search(project, [values]);
      assert.deepEqual(await assignee({ field: 'assignee', values: [{ userId: user.id }] }), ['mine']);
      assert.deepEqual(await assignee({ field: 'assignee', values: [{ teamId: 5 }] }), ['team']);
      assert.deepEqual(await assignee({ field: 'assignee', values: ['any'] }), ['mine', 'team']);
      assert.deepEqual(await assignee({ field: 'assignee', values: ['none'] }), ['nobody']);
      assert.deepEqual(await assignee({ field: 'assignee', values: [{ userId: user.id }], negate: true }), [
        'nobody',
        'team',
      ]);
      assert.deepEqual(await assignee({ field: 'assignee', values: ['none', { teamId: 5 }] }), [
        'nobody',
        'team',
      ]);
    });

    test('notes: newest first, paged, counted; a note on a missing issue is refused', async () => {
      const project = await seedProject(store);
      const issue = await seedIssue(store, project);
      for (const [i, text] of ['first', 'second', 'third'].entries()) {
        const note = await store.issues.addNote({ issueId: issue.id, text, actor: 'token:9', now: T0 + i });
        assert.deepEqual([note?.type, note?.data, note?.actor], ['note', { text }, 'token:9']);
      }
      assert.equal(
        await store.issues.addNote({ issueId: 999_999, text: 'x', actor: 'system', now: T0 }),
        null,
      );
      const texts = async (limit: number, offset: number) =>
        (await store.issues.notes(issue.id, { limit, offset })).map((n) => n.data.text);
      assert.deepEqual(await texts(2, 0), ['third', 'second']);
      assert.deepEqual(await texts(2, 2), ['first']);
      assert.equal((await store.issues.workflow([issue.id])).get(issue.id)?.numComments, 3);
    });

    test('tag summary and value pages: totals, distinct values, top values, sorts, offsets', async () => {
      const project = await seedProject(store);
      const issue = await seedIssue(store, project);
      const rows: ({ issueId: number } & TagValueCount)[] = [
        { issueId: issue.id, key: 'browser', value: 'Chrome', count: 5, firstSeen: T0, lastSeen: T0 + 3 },
        {
          issueId: issue.id,
          key: 'browser',
          value: 'Firefox',
          count: 2,
          firstSeen: T0 + 2,
          lastSeen: T0 + 9,
        },
        { issueId: issue.id, key: 'browser', value: 'Safari', count: 2, firstSeen: T0 + 1, lastSeen: T0 + 1 },
        { issueId: issue.id, key: 'os', value: 'Linux', count: 9, firstSeen: T0, lastSeen: T0 },
      ];
      await store.ingestWrite((tx) => tx.addTagValues(rows));
      const summary = await store.issues.tagSummary(issue.id, { top: 2 });
      assert.deepEqual(
        summary.map((s) => [s.key, s.totalValues, s.uniqueValues, s.topValues.map((v) => v.value)]),
        [
          ['browser', 9, 3, ['Chrome', 'Firefox']],
          ['os', 9, 1, ['Linux']],
        ],
      );
      assert.deepEqual(summary[0].topValues[0], {
        key: 'browser',
        value: 'Chrome',
        count: 5,
        firstSeen: T0,
        lastSeen: T0 + 3,
      });
      assert.deepEqual(
        (await store.issues.tagSummary(issue.id, { keys: ['os'], top: 5 })).map((s) => s.key),
        ['os'],
      );
      const values = async (sort: 'count' | 'date' | 'age', offset = 0) =>
        (await store.issues.tagValuePage(issue.id, 'browser', { sort, limit: 2, offset })).map(
          (v) => v.value,
        );
      assert.deepEqual(await values('count'), ['Chrome', 'Firefox']);
      assert.deepEqual(await values('count', 2), ['Safari']);
      assert.deepEqual(await values('date'), ['Firefox', 'Chrome']);
      assert.deepEqual(await values('age'), ['Firefox', 'Safari']);
    });

    test('delete removes the issues with their events, hashes, counters, tags, users and activity', async () => {
      const project = await seedProject(store);
      const doomed = await seedIssue(store, project, { title: 'doomed', tags: { env: 'x' } });
      const kept = await seedIssue(store, project, { title: 'kept' });
      const hashes = await store.issues.hashes(doomed.id);
      await store.ingestWrite(async (tx) => {
        await tx.insertEvents([
          {
            eventId: randomBytes(16).toString('hex'),
            projectId: project.id,
            issueId: doomed.id,
            timestamp: T0,
            receivedAt: T0,
            level: 'error',
            release: null,
            environment: 'production',
            userKey: 'id:1',
            payload: new Uint8Array([1]),
            payloadCodec: 'zstd',
            size: 1,
          },
        ]);
        await tx.addIssueBuckets([{ issueId: doomed.id, projectId: project.id, start: T0, count: 1 }]);
        await tx.addIssueUsers([{ issueId: doomed.id, userKey: 'id:1', seenAt: T0 }]);
      });
      await store.issues.addNote({ issueId: doomed.id, text: 'bye', actor: 'system', now: T0 });
      assert.equal(await store.issues.usersSince(doomed.id, T0), 1);
      assert.equal(await store.issues.usersSince(doomed.id, T0 + 1), 0);

      assert.equal(await store.issues.delete([doomed.id, 999_999]), 1);
      assert.equal(await store.issues.getById(doomed.id), null);
      assert.equal(await store.events.countForProject(project.id), 0);
      assert.deepEqual(await store.issues.hashes(doomed.id), []);
      assert.deepEqual(await store.issues.tagValues(doomed.id), []);
      assert.deepEqual(await store.issues.activities(doomed.id), []);
      assert.equal(await store.issues.usersSince(doomed.id, 0), 0);
      assert.deepEqual((await store.issues.buckets([doomed.id], 'minute', 0, T0 + HOUR)).get(doomed.id), []);
      const found = await store.ingestWrite((tx) => tx.findIssuesByHashes(project.id, hashes));
      assert.equal(found.size, 0, 'the hash is free again: the next event makes a new issue');
      assert.ok(await store.issues.getById(kept.id));
    });

    test('latest releases: per project the newest open release by creation date, then id', async () => {
      const web = await seedProject(store);
      const api = await store.projects.create({
        orgId: web.orgId,
        slug: uniq('api'),
        name: 'API',
        platform: 'node',
        now: T0,
      });
      const bare = await store.projects.create({
        orgId: web.orgId,
        slug: uniq('bare'),
        name: 'Bare',
        platform: 'node',
        now: T0,
      });
      const release = (version: string, projectIds: number[], now: number) =>
        store.releases.create({
          orgId: web.orgId,
          version,
          projectIds,
          ref: null,
          url: null,
          dateStarted: null,
          dateReleased: null,
          status: null,
          now,
        });
      await release('web@2', [web.id], T0 + HOUR);
      await release('web@1', [web.id], T0);
      await release('both@3', [web.id, api.id], T0 + 2 * HOUR);
      await store.releases.update(web.orgId, 'both@3', { status: 'archived' });
      await release('api@1', [api.id], T0 + MINUTE);
      await release('api@2', [api.id], T0 + MINUTE);
      const foreign = await seedProject(store);
      const latest = await store.issues.latestReleases(web.orgId, [web.id, api.id, bare.id, foreign.id]);
      assert.deepEqual(
        [...latest].sort(([a], [b]) => a - b),
        [
          [web.id, { version: 'web@2', dateCreated: T0 + HOUR }],
          [api.id, { version: 'api@2', dateCreated: T0 + MINUTE }],
        ],
      );
      assert.equal((await store.issues.latestReleases(web.orgId, [])).size, 0);
    });
  });
}
