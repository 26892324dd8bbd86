import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../app-error.ts';
import { openStore } from './open-store.ts';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type {
  IngestTx,
  Issue,
  IssueStatus,
  IssueSubstatus,
  IssueUpdate,
  NewIssue,
  Project,
  Store,
  StoredEvent,
} from './types.ts';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const eventId = () => randomBytes(16).toString('hex');

async function seedProject(store: Store, orgId?: number): Promise<Project> {
  const org = orgId ?? (await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 })).id;
  return store.projects.create({ orgId: org, slug: uniq('web'), name: 'Web', platform: 'node', now: T0 });
}

function newIssue(projectId: number, hashes: string[], overrides: Partial<NewIssue> = {}): NewIssue {
  return {
    projectId,
    hashes,
    title: 'TypeError: boom',
    culprit: 'app.js in handler',
    type: 'error',
    metadata: { type: 'TypeError', value: 'boom' },
    level: 'error',
    firstSeen: T0,
    firstRelease: '1.0.0',
    groupingVersion: 'v1',
    ...overrides,
  };
}

function storedEvent(issue: Issue, timestamp: number, id = eventId()): StoredEvent {
  return {
    eventId: id,
    projectId: issue.projectId,
    issueId: issue.id,
    timestamp,
    receivedAt: timestamp + 5,
    level: 'error',
    release: '1.0.0',
    environment: 'production',
    userKey: 'id:1',
    payload: new Uint8Array([1, 2, 3, timestamp % 251]),
    payloadCodec: 'gzip',
    size: 42,
  };
}

function update(issueId: number, fields: Partial<IssueUpdate>): IssueUpdate {
  return {
    issueId,
    addTimesSeen: 0,
    addUserCount: 0,
    firstSeen: T0,
    lastSeen: T0,
    title: 'TypeError: boom',
    culprit: 'app.js in handler',
    metadata: { type: 'TypeError', value: 'boom' },
    level: 'error',
    lastRelease: '1.0.0',
    reopenAs: undefined,
    ...fields,
  };
}

const create = (store: Store, input: NewIssue) => store.ingestWrite((tx) => tx.createIssue(input));
const write = <T>(store: Store, fn: (tx: IngestTx) => Promise<T>) => store.ingestWrite(fn);
const isAppError = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

for (const backend of testBackends()) {
  describe(`store contract: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened?.cleanup());

    test('reports its backend and migrating again is a no-op that keeps data', async () => {
      assert.equal(store.backend, backend.name);
      const org = await store.orgs.create({ slug: uniq('keep'), name: 'Keep', now: T0 });
      await store.migrate();
      await store.migrate();
      assert.deepEqual(await store.orgs.getById(org.id), org);
    });

    test('orgs and projects: create, read, list, update, conflicts', async () => {
      const org = await store.orgs.create({ slug: uniq('acme'), name: 'Acme', now: T0 });
      assert.deepEqual(org, { id: org.id, slug: org.slug, name: 'Acme', createdAt: T0 });
      assert.deepEqual(await store.orgs.getBySlug(org.slug), org);
      assert.equal(await store.orgs.getBySlug('nope-nope'), null);
      assert.ok((await store.orgs.list()).some((o) => o.id === org.id));
      await assert.rejects(
        store.orgs.create({ slug: org.slug, name: 'Again', now: T0 }),
        isAppError('CONFLICT'),
      );

      const project = await store.projects.create({
        orgId: org.id,
        slug: 'api',
        name: 'API',
        platform: null,
        now: T0,
      });
      assert.equal(project.eventMaxAgeDays, 90);
      assert.equal(project.eventsPerIssue, 10000);
      assert.equal(project.platform, null);
      assert.deepEqual(await store.projects.getBySlug(org.id, 'api'), project);
      assert.deepEqual(await store.projects.getById(project.id), project);
      const web = await store.projects.create({
        orgId: org.id,
        slug: 'web',
        name: 'Web',
        platform: 'js',
        now: T0,
      });
      assert.deepEqual(
        (await store.projects.listByOrg(org.id)).map((p) => p.slug),
        ['api', 'web'],
      );
      assert.ok((await store.projects.listAll()).some((p) => p.id === web.id));
      await assert.rejects(
        store.projects.create({ orgId: org.id, slug: 'api', name: 'Dup', platform: null, now: T0 }),
        isAppError('CONFLICT'),
      );
      const changed = await store.projects.update(project.id, { eventsPerIssue: 5, platform: 'python' });
      assert.deepEqual(changed, { ...project, eventsPerIssue: 5, platform: 'python' });
      assert.equal(await store.projects.update(999_999, { name: 'x' }), null);
    });

    test('project keys: create, look up by public key, patch', async () => {
      const project = await seedProject(store);
      const publicKey = randomBytes(16).toString('hex');
      const key = await store.keys.create({
        projectId: project.id,
        label: 'Default',
        publicKey,
        secretKey: 's',
        now: T0,
      });
      assert.equal(key.isActive, true);
      assert.equal(key.rateLimitCount, null);
      assert.deepEqual(await store.keys.getByPublicKey(publicKey), key);
      const patched = await store.keys.update(key.id, {
        isActive: false,
        rateLimitCount: 10,
        rateLimitWindowSeconds: 60,
      });
      assert.deepEqual(patched, { ...key, isActive: false, rateLimitCount: 10, rateLimitWindowSeconds: 60 });
      const cleared = await store.keys.update(key.id, { rateLimitCount: null, label: 'Renamed' });
      assert.deepEqual(cleared, { ...patched, rateLimitCount: null, label: 'Renamed' });
      assert.deepEqual(await store.keys.listByProject(project.id), [cleared]);
      assert.equal(await store.keys.update(999_999, { label: 'x' }), null);
      await assert.rejects(
        store.keys.create({ projectId: project.id, label: 'Dup', publicKey, secretKey: 's', now: T0 }),
        isAppError('CONFLICT'),
      );
    });

    test('users and tokens: getByHash ignores revoked tokens', async () => {
      const email = `${uniq('ada')}@example.com`;
      const user = await store.users.create({ email, name: 'Ada', passwordHash: 'scrypt$x', now: T0 });
      assert.deepEqual(await store.users.getByEmail(email), user);
      assert.deepEqual(
        await store.users.getByEmail(email.toUpperCase()),
        user,
        'emails are found without case',
      );
      assert.deepEqual(await store.users.getById(user.id), user);
      assert.equal(await store.users.getByEmail('missing@example.com'), null);
      await assert.rejects(
        store.users.create({ email, name: 'Twin', passwordHash: null, now: T0 }),
        isAppError('CONFLICT'),
      );

      const tokenHash = randomBytes(32).toString('hex');
      const token = await store.tokens.create({
        kind: 'user',
        orgId: null,
        userId: user.id,
        name: 'cli',
        scopes: ['org:read', 'project:write'],
        tokenHash,
        tokenPrefix: 'sntryu_ab12',
        createdAt: T0,
      });
      assert.deepEqual(token.scopes, ['org:read', 'project:write']);
      assert.equal(token.lastUsedAt, null);
      await store.tokens.touch(token.id, T0 + 1000);
      assert.equal((await store.tokens.getByHash(tokenHash))?.lastUsedAt, T0 + 1000);
      assert.equal(await store.tokens.revoke(token.id, T0 + 2000), true);
      assert.equal(await store.tokens.revoke(token.id, T0 + 3000), false);
      assert.equal(await store.tokens.getByHash(tokenHash), null);
    });

    test('createIssue numbers 1, 2, 3 per project, independently per project, links hashes, keeps the platform', async () => {
      const a = await seedProject(store);
      const b = await seedProject(store, a.orgId);
      const a1 = await create(store, newIssue(a.id, ['h1', 'h1-alt']));
      const a2 = await create(store, newIssue(a.id, ['h2']));
      const b1 = await create(store, newIssue(b.id, ['h1']));
      const a3 = await create(store, { ...newIssue(a.id, ['h3']), platform: 'python' });
      assert.deepEqual([a1.platform, a3.platform], [null, 'python']);
      assert.deepEqual(
        [a1, a2, a3, b1].map((i) => i.shortIdNumber),
        [1, 2, 3, 1],
      );
      assert.equal(a1.status, 'unresolved');
      assert.equal(a1.substatus, 'new');
      assert.equal(a1.timesSeen, 0);
      assert.equal(a1.lastSeen, T0);
      assert.deepEqual(a1.metadata, { type: 'TypeError', value: 'boom' });
      assert.deepEqual(await store.issues.getByShortId(a.id, 2), a2);
      assert.deepEqual(await store.issues.getById(b1.id), b1);
      assert.deepEqual(await store.issues.hashes(a1.id), ['h1', 'h1-alt']);

      await write(store, (tx) => tx.addIssueHashes(a.id, a2.id, ['h2', 'h2-extra', 'h1']));
      assert.deepEqual(await store.issues.hashes(a2.id), ['h2', 'h2-extra']);
      const found = await write(store, (tx) => tx.findIssuesByHashes(a.id, ['h1', 'h2-extra', 'unknown']));
      assert.deepEqual([...found.keys()].sort(), ['h1', 'h2-extra']);
      assert.equal(found.get('h1')?.id, a1.id);
      assert.equal(found.get('h2-extra')?.id, a2.id);

      const again = await create(store, newIssue(a.id, ['h3']));
      assert.equal(again.id, a3.id, 'an already linked hash returns the existing issue');
      assert.equal((await create(store, newIssue(a.id, ['h4']))).shortIdNumber, 4, 'no number was burnt');
    });

    test('insertEvents skips retransmitted event ids and reads back the payload', async () => {
      const project = await seedProject(store);
      const other = await seedProject(store, project.orgId);
      const issue = await create(store, newIssue(project.id, ['e']));
      const otherIssue = await create(store, newIssue(other.id, ['e']));
      const first = storedEvent(issue, T0 + 1000);
      const second = storedEvent(issue, T0 + 2000);
      const inserted = await write(store, (tx) => tx.insertEvents([first, second, { ...first }]));
      assert.deepEqual([...inserted].sort(), [first.eventId, second.eventId].sort());
      const retried = await write(store, (tx) =>
        tx.insertEvents([first, storedEvent(otherIssue, T0, first.eventId)]),
      );
      assert.deepEqual([...retried], [first.eventId], 'the same id in another project is a different event');
      assert.equal(await store.events.countForProject(project.id), 2);
      assert.deepEqual(await store.events.get(project.id, first.eventId), first);
      assert.equal(await store.events.get(project.id, eventId()), null);
      assert.deepEqual(await store.events.latestForIssue(issue.id), second);
      assert.deepEqual(
        (await store.events.listForIssue(issue.id, 10)).map((e) => e.eventId),
        [second.eventId, first.eventId],
      );
      assert.equal((await store.events.listForIssue(issue.id, 1)).length, 1);
    });

    test('storedEvents names the references already stored, per project', async () => {
      const project = await seedProject(store);
      const other = await seedProject(store, project.orgId);
      const issue = await create(store, newIssue(project.id, ['s']));
      const kept = storedEvent(issue, T0);
      await write(store, (tx) => tx.insertEvents([kept]));
      const unknown = eventId();
      const found = await write(store, (tx) =>
        tx.storedEvents([
          { projectId: project.id, eventId: unknown },
          { projectId: other.id, eventId: kept.eventId },
          { projectId: project.id, eventId: kept.eventId },
        ]),
      );
      assert.deepEqual(found, [{ projectId: project.id, eventId: kept.eventId }]);
      assert.deepEqual(await write(store, (tx) => tx.storedEvents([])), []);
    });

    test('updateIssues adds deltas, widens the seen range, and follows only the newest display fields', async () => {
      const project = await seedProject(store);
      const issue = await create(store, newIssue(project.id, ['u'], { firstSeen: T0 + HOUR }));
      await write(store, (tx) =>
        tx.updateIssues([
          update(issue.id, {
            addTimesSeen: 3,
            addUserCount: 2,
            firstSeen: T0 + HOUR,
            lastSeen: T0 + 2 * HOUR,
            title: 'Newer title',
            metadata: { type: 'RangeError' },
            level: 'fatal',
            lastRelease: '2.0.0',
          }),
        ]),
      );
      await write(store, (tx) =>
        tx.updateIssues([
          update(issue.id, {
            addTimesSeen: 1,
            firstSeen: T0,
            lastSeen: T0 + 30 * MINUTE,
            title: 'Stale title',
          }),
        ]),
      );
      const after = (await store.issues.getById(issue.id))!;
      assert.equal(after.timesSeen, 4);
      assert.equal(after.userCount, 2);
      assert.equal(after.firstSeen, T0);
      assert.equal(after.lastSeen, T0 + 2 * HOUR);
      assert.equal(after.title, 'Newer title');
      assert.deepEqual(after.metadata, { type: 'RangeError' });
      assert.equal(after.level, 'fatal');
      assert.equal(after.lastRelease, '2.0.0');
      assert.equal(after.firstRelease, '1.0.0');
      assert.equal(after.status, 'unresolved');
      assert.equal(after.substatus, 'new');
    });

    test('updateIssues: reopenAs sets unresolved with that substatus; repeated updates in a batch add up', async () => {
      const project = await seedProject(store);
      const issue = await create(store, newIssue(project.id, ['r']));
      const sameBatch = await create(store, newIssue(project.id, ['r2']));
      await write(store, (tx) =>
        tx.updateIssues([
          update(issue.id, { addTimesSeen: 1, lastSeen: T0 + MINUTE, reopenAs: 'regressed' }),
          update(sameBatch.id, { addTimesSeen: 1, lastSeen: T0 + MINUTE }),
          update(sameBatch.id, { addTimesSeen: 2, lastSeen: T0 + 2 * MINUTE, title: 'Last' }),
        ]),
      );
      const reopened = (await store.issues.getById(issue.id))!;
      assert.deepEqual(
        [reopened.status, reopened.substatus, reopened.resolvedAt],
        ['unresolved', 'regressed', null],
      );
      const merged = (await store.issues.getById(sameBatch.id))!;
      assert.deepEqual([merged.timesSeen, merged.lastSeen, merged.title], [3, T0 + 2 * MINUTE, 'Last']);
    });

    test('a status change is conditional and writes its activity in the same transaction', async () => {
      const project = await seedProject(store);
      const issue = await create(store, newIssue(project.id, ['s']));
      const activity = { type: 'set_resolved', data: {}, actor: 'user:1', createdAt: T0 + HOUR };
      const change = (
        issueId: number,
        status: IssueStatus,
        substatus: IssueSubstatus,
        resolvedAt: number | null,
      ) => ({
        issueId,
        from: ['unresolved' as IssueStatus],
        status: { status, substatus, resolvedAt, details: null },
        activities: [activity],
      });
      const [resolved] = await store.issues.update([change(issue.id, 'resolved', null, T0 + HOUR)]);
      assert.deepEqual([resolved?.status, resolved?.resolvedAt], ['resolved', T0 + HOUR]);
      // A second change expecting 'unresolved' lost the race: nothing changes, no activity.
      const lost = await store.issues.update([change(issue.id, 'ignored', 'archived_forever', null)]);
      assert.deepEqual(lost, []);
      assert.equal((await store.issues.getById(issue.id))!.status, 'resolved');
      const activities = await store.issues.activities(issue.id);
      assert.deepEqual(
        activities.map((a) => [a.type, a.actor]),
        [['set_resolved', 'user:1']],
      );
      assert.deepEqual(await store.issues.update([change(987654321, 'resolved', null, null)]), []);
    });

    test('buckets add into minute and hour resolution', async () => {
      const project = await seedProject(store);
      const issue = await create(store, newIssue(project.id, ['b']));
      const quiet = await create(store, newIssue(project.id, ['b-quiet']));
      const row = (start: number, count: number) => ({
        issueId: issue.id,
        projectId: project.id,
        start,
        count,
      });
      await write(store, (tx) =>
        tx.addIssueBuckets([row(T0, 2), row(T0 + MINUTE, 1), row(T0 + HOUR + MINUTE, 4)]),
      );
      await write(store, (tx) => tx.addIssueBuckets([row(T0, 3), row(T0, 1)]));
      const minutes = await store.issues.buckets([issue.id, quiet.id], 'minute', T0, T0 + HOUR + MINUTE);
      assert.deepEqual(minutes.get(issue.id), [
        { start: T0, count: 6 },
        { start: T0 + MINUTE, count: 1 },
      ]);
      assert.deepEqual(minutes.get(quiet.id), []);
      const hours = await store.issues.buckets([issue.id], 'hour', T0, T0 + DAY);
      assert.deepEqual(hours.get(issue.id), [
        { start: T0, count: 7 },
        { start: T0 + HOUR, count: 4 },
      ]);
    });

    test('tag values upsert counts and the seen range', async () => {
      const project = await seedProject(store);
      const issue = await create(store, newIssue(project.id, ['t']));
      const tag = (key: string, value: string, count: number, firstSeen: number, lastSeen: number) => ({
        issueId: issue.id,
        key,
        value,
        count,
        firstSeen,
        lastSeen,
      });
      await write(store, (tx) =>
        tx.addTagValues([
          tag('browser', 'Firefox', 2, T0 + 10, T0 + 20),
          tag('browser', 'Chrome', 1, T0, T0),
        ]),
      );
      await write(store, (tx) =>
        tx.addTagValues([tag('browser', 'Chrome', 5, T0 + 1, T0 + 50), tag('os', 'Linux', 1, T0, T0)]),
      );
      assert.deepEqual(await store.issues.tagValues(issue.id, 'browser'), [
        { key: 'browser', value: 'Chrome', count: 6, firstSeen: T0, lastSeen: T0 + 50 },
        { key: 'browser', value: 'Firefox', count: 2, firstSeen: T0 + 10, lastSeen: T0 + 20 },
      ]);
      assert.deepEqual(
        (await store.issues.tagValues(issue.id)).map((t) => `${t.key}=${t.value}`),
        ['browser=Chrome', 'browser=Firefox', 'os=Linux'],
      );
    });

    test('issue users count only users not seen before', async () => {
      const project = await seedProject(store);
      const a = await create(store, newIssue(project.id, ['ua']));
      const b = await create(store, newIssue(project.id, ['ub']));
      const seen = (issueId: number, userKey: string) => ({ issueId, userKey, seenAt: T0 });
      const first = await write(store, (tx) =>
        tx.addIssueUsers([seen(a.id, 'id:1'), seen(a.id, 'id:2'), seen(a.id, 'id:1'), seen(b.id, 'id:1')]),
      );
      assert.deepEqual(Object.fromEntries(first), { [a.id]: 2, [b.id]: 1 });
      const second = await write(store, (tx) =>
        tx.addIssueUsers([seen(a.id, 'id:2'), seen(a.id, 'id:3'), seen(b.id, 'id:1')]),
      );
      assert.deepEqual(Object.fromEntries(second), { [a.id]: 1, [b.id]: 0 });
    });

    test('releases and environments are ensured idempotently per project', async () => {
      const project = await seedProject(store);
      const sibling = await seedProject(store, project.orgId);
      const orgId = project.orgId;
      const releases = [
        { orgId, projectId: project.id, version: '1.0.0', seenAt: T0 + 10, receivedAt: T0 + 1000 },
        { orgId, projectId: project.id, version: '1.0.0', seenAt: T0, receivedAt: T0 + 1000 },
        { orgId, projectId: sibling.id, version: '1.0.0', seenAt: T0 + 50, receivedAt: T0 + 1000 },
        { orgId, projectId: project.id, version: '2.0.0', seenAt: T0 + 100, receivedAt: T0 + 1000 },
      ];
      await write(store, (tx) => tx.ensureReleases(releases));
      await write(store, (tx) => tx.ensureReleases(releases.slice(0, 1)));
      assert.deepEqual(await store.releases.listByProject(project.id), [
        { version: '2.0.0', firstSeen: T0 + 100, lastSeen: T0 + 100 },
        { version: '1.0.0', firstSeen: T0, lastSeen: T0 + 50 },
      ]);
      assert.deepEqual(
        (await store.releases.listByProject(sibling.id)).map((r) => r.version),
        ['1.0.0'],
      );
      const envs = [
        { orgId, projectId: project.id, name: 'production', seenAt: T0 },
        { orgId, projectId: project.id, name: 'staging', seenAt: T0 },
        { orgId, projectId: sibling.id, name: 'production', seenAt: T0 },
      ];
      await write(store, (tx) => tx.ensureEnvironments(envs));
      await write(store, (tx) => tx.ensureEnvironments(envs));
      assert.deepEqual(await store.environments.listByProject(project.id), ['production', 'staging']);
      assert.deepEqual(await store.environments.listByProject(sibling.id), ['production']);
    });

    test('activities and outcome totals', async () => {
      const project = await seedProject(store);
      const issue = await create(store, newIssue(project.id, ['act']));
      await write(store, async (tx) => {
        await tx.addActivities([
          {
            issueId: issue.id,
            type: 'first_seen',
            data: { release: '1.0.0' },
            actor: 'system',
            createdAt: T0,
          },
          { issueId: issue.id, type: 'set_regression', data: {}, actor: 'system', createdAt: T0 + 1 },
        ]);
        const outcome = (itemType: string, outcome: string, day: number, count: number) => ({
          projectId: project.id,
          itemType,
          outcome,
          day,
          count,
        });
        await tx.addOutcomes([
          outcome('event', 'processed', T0 - DAY, 100),
          outcome('event', 'processed', T0, 3),
          outcome('event', 'processed', T0 + DAY, 4),
          outcome('event', 'rate_limited', T0, 2),
          outcome('event', 'processed', T0, 1),
        ]);
      });
      const activities = await store.issues.activities(issue.id);
      assert.deepEqual(
        activities.map((a) => [a.type, a.data, a.actor, a.createdAt]),
        [
          ['first_seen', { release: '1.0.0' }, 'system', T0],
          ['set_regression', {}, 'system', T0 + 1],
        ],
      );
      assert.deepEqual(await store.outcomes.totals(project.id, T0), [
        { itemType: 'event', outcome: 'processed', count: 8 },
        { itemType: 'event', outcome: 'rate_limited', count: 2 },
      ]);
    });

    test('issue list sorts, filters, and pages by cursor without skipping or repeating ties', async () => {
      const project = await seedProject(store);
      const other = await seedProject(store, project.orgId);
      const foreign = await seedProject(store);
      const specs = [
        [project.id, 5, 1, 3],
        [project.id, 5, 2, 3],
        [project.id, 5, 3, 1],
        [other.id, 9, 4, 1],
        [project.id, 1, 5, 7],
        [other.id, 5, 6, 3],
        [project.id, 9, 7, 0],
      ] as const;
      const issues: Issue[] = [];
      for (const [projectId, lastMinute, firstMinute, times] of specs) {
        const issue = await create(
          store,
          newIssue(projectId, [uniq('list')], { firstSeen: T0 + firstMinute * MINUTE }),
        );
        await write(store, (tx) =>
          tx.updateIssues([
            update(issue.id, {
              addTimesSeen: times,
              addUserCount: times % 2,
              firstSeen: issue.firstSeen,
              lastSeen: T0 + lastMinute * MINUTE,
            }),
          ]),
        );
        issues.push((await store.issues.getById(issue.id))!);
      }
      await create(store, newIssue(foreign.id, [uniq('foreign')]));

      const expected = (key: (i: Issue) => number) =>
        [...issues].sort((x, y) => key(y) - key(x) || y.id - x.id).map((i) => i.id);
      const pageAll = async (query: Parameters<Store['issues']['list']>[0]) => {
        const ids: number[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 20; page++) {
          const result = await store.issues.list({ ...query, cursor });
          ids.push(...result.issues.map((i) => i.id));
          if (!result.nextCursor) return ids;
          cursor = result.nextCursor;
        }
        throw new Error('pagination did not end');
      };
      const orgId = project.orgId;
      assert.deepEqual(
        await pageAll({ orgId, sort: 'date', limit: 2 }),
        expected((i) => i.lastSeen),
      );
      assert.deepEqual(
        await pageAll({ orgId, sort: 'new', limit: 3 }),
        expected((i) => i.firstSeen),
      );
      assert.deepEqual(
        await pageAll({ orgId, sort: 'freq', limit: 2 }),
        expected((i) => i.timesSeen),
      );
      assert.deepEqual(
        await pageAll({ orgId, sort: 'user', limit: 1 }),
        expected((i) => i.userCount),
      );
      const onlyOther = await pageAll({ orgId, projectIds: [other.id], sort: 'date', limit: 10 });
      assert.deepEqual(onlyOther, [issues[3].id, issues[5].id]);

      assert.deepEqual(
        await pageAll({ orgId, statuses: ['resolved', 'ignored'], sort: 'date', limit: 5 }),
        [],
      );
      assert.equal(
        (await pageAll({ orgId, statuses: ['unresolved'], sort: 'date', limit: 5 })).length,
        issues.length,
      );
      const single = await store.issues.list({ orgId, sort: 'date', limit: 50 });
      assert.equal(single.nextCursor, null);
      assert.equal(single.issues.length, issues.length);

      const page = await store.issues.list({ orgId, sort: 'date', limit: 2 });
      await assert.rejects(
        store.issues.list({ orgId, sort: 'freq', limit: 2, cursor: page.nextCursor! }),
        isAppError('VALIDATION'),
      );
      await assert.rejects(
        store.issues.list({ orgId, sort: 'date', limit: 2, cursor: 'garbage' }),
        isAppError('VALIDATION'),
      );
    });

    test('retention prunes old events and events over the per-issue limit, never counters', async (t) => {
      // Prune is database-wide: its own database keeps the deleted counts exact.
      const own = await backend.open();
      t.after(() => own.cleanup());
      const db = own.store;
      const project = await seedProject(db);
      await db.projects.update(project.id, { eventMaxAgeDays: 30, eventsPerIssue: 3 });
      const busy = await create(db, newIssue(project.id, ['busy']));
      const old = await create(db, newIssue(project.id, ['old']));
      const now = T0 + 40 * DAY;
      const busyEvents = Array.from({ length: 6 }, (_, i) => storedEvent(busy, now - (6 - i) * MINUTE));
      const oldEvents = [
        storedEvent(old, now - 31 * DAY),
        storedEvent(old, now - 32 * DAY),
        storedEvent(old, now - DAY),
      ];
      await write(db, async (tx) => {
        await tx.insertEvents([...busyEvents, ...oldEvents]);
        await tx.updateIssues([
          update(busy.id, { addTimesSeen: 6, lastSeen: now - MINUTE }),
          update(old.id, { addTimesSeen: 3, lastSeen: now - DAY }),
        ]);
        await tx.addIssueBuckets([
          { issueId: busy.id, projectId: project.id, start: T0, count: 6 },
          { issueId: busy.id, projectId: project.id, start: T0 + MINUTE, count: 1 },
          { issueId: busy.id, projectId: project.id, start: now - 10 * MINUTE, count: 1 },
        ]);
        const tag = (value: string, lastSeen: number) => ({
          issueId: busy.id,
          key: 'user',
          value,
          count: 1,
          firstSeen: lastSeen,
          lastSeen,
        });
        await tx.addTagValues([
          tag('gone-1', now - 31 * DAY),
          tag('gone-2', now - 35 * DAY),
          tag('recent', now - DAY),
        ]);
      });
      const result = await db.retention.prune({ now, minuteBucketsBefore: now - DAY, batchSize: 2 });
      assert.deepEqual(result, { eventsDeleted: 5, bucketsDeleted: 2, tagValuesDeleted: 2 });
      assert.deepEqual(
        (await db.issues.tagValues(busy.id, 'user')).map((v) => v.value),
        ['recent'],
      );
      assert.deepEqual(
        (await db.events.listForIssue(busy.id, 10)).map((e) => e.eventId),
        busyEvents
          .slice(3)
          .reverse()
          .map((e) => e.eventId),
      );
      assert.deepEqual(
        (await db.events.listForIssue(old.id, 10)).map((e) => e.eventId),
        [oldEvents[2].eventId],
      );
      assert.equal((await db.issues.getById(busy.id))?.timesSeen, 6);
      assert.equal((await db.issues.getById(old.id))?.timesSeen, 3);
      assert.deepEqual((await db.issues.buckets([busy.id], 'minute', 0, now + DAY)).get(busy.id), [
        { start: now - 10 * MINUTE, count: 1 },
      ]);
      assert.deepEqual((await db.issues.buckets([busy.id], 'hour', 0, now + DAY)).get(busy.id)?.length, 2);
      assert.deepEqual(await db.retention.prune({ now, minuteBucketsBefore: now - DAY, batchSize: 2 }), {
        eventsDeleted: 0,
        bucketsDeleted: 0,
        tagValuesDeleted: 0,
      });
    });

    test('retention lets the event loop turn between its batches', async (t) => {
      const own = await backend.open();
      t.after(() => own.cleanup());
      const db = own.store;
      const project = await seedProject(db);
      await db.projects.update(project.id, { eventsPerIssue: 1 });
      const busy = await create(db, newIssue(project.id, ['busy']));
      const events = Array.from({ length: 9 }, (_, i) => storedEvent(busy, T0 + i * MINUTE));
      await write(db, async (tx) => {
        await tx.insertEvents(events);
        await tx.updateIssues([update(busy.id, { addTimesSeen: 9, lastSeen: T0 + 8 * MINUTE })]);
      });
      // On SQLite every statement is synchronous: a prune that never yields would hold back
      // every request until it ended.
      let turns = 0;
      let counting = true;
      const count = () => {
        if (!counting) return;
        turns++;
        setImmediate(count);
      };
      setImmediate(count);
      const result = await db.retention.prune({ now: T0 + 9 * MINUTE, minuteBucketsBefore: 0, batchSize: 2 });
      counting = false;
      assert.equal(result.eventsDeleted, 8);
      assert.ok(turns >= 4, `the event loop turned ${turns} times while four batches were deleted`);
    });

    test('a throw inside ingestWrite leaves nothing behind', async () => {
      const project = await seedProject(store);
      await assert.rejects(
        write(store, async (tx) => {
          const issue = await tx.createIssue(newIssue(project.id, ['doomed']));
          await tx.insertEvents([storedEvent(issue, T0)]);
          throw new Error('digest failed');
        }),
        /digest failed/,
      );
      assert.equal(await store.events.countForProject(project.id), 0);
      assert.equal(await store.issues.getByShortId(project.id, 1), null);
      const found = await write(store, (tx) => tx.findIssuesByHashes(project.id, ['doomed']));
      assert.equal(found.size, 0);
      assert.equal((await create(store, newIssue(project.id, ['next']))).shortIdNumber, 1);
    });

    test('concurrent ingestWrite calls both land', async () => {
      const project = await seedProject(store);
      const [a, b] = await Promise.all(
        ['c1', 'c2'].map((hash) =>
          write(store, async (tx) => {
            const issue = await tx.createIssue(newIssue(project.id, [hash]));
            await new Promise((resolve) => setTimeout(resolve, 20));
            await tx.insertEvents([storedEvent(issue, T0)]);
            return issue;
          }),
        ),
      );
      assert.deepEqual([a.shortIdNumber, b.shortIdNumber].sort(), [1, 2]);
      assert.equal(await store.events.countForProject(project.id), 2);
    });

    if (backend.name === 'postgres') {
      /** The digest's pattern: look the hash up, create the issue only when it is unknown. */
      const ingestOne = (target: Store, projectId: number, hashes: string[], hold?: Promise<void>) =>
        target.ingestWrite(async (tx) => {
          const found = await tx.findIssuesByHashes(projectId, hashes);
          const issue = found.get(hashes[0]) ?? (await tx.createIssue(newIssue(projectId, hashes)));
          await hold;
          await tx.updateIssues([update(issue.id, { addTimesSeen: 1 })]);
          return issue.id;
        });

      test('two stores ingesting the same new hash at once end with one issue', async () => {
        const project = await seedProject(store);
        const second = await openStore(opened.url);
        try {
          const racers = Array.from({ length: 6 }, (_, n) => (n % 2 ? store : second));
          const ids = await Promise.all(
            racers.map((s) => ingestOne(s, project.id, ['shared', 'shared-alt'])),
          );
          assert.equal(new Set(ids).size, 1, `one issue expected, got ${ids}`);
          const issue = (await store.issues.getById(ids[0]))!;
          assert.deepEqual([issue.timesSeen, issue.shortIdNumber], [6, 1]);
          const more = await Promise.all(
            Array.from({ length: 6 }, (_, n) => ingestOne(n % 2 ? store : second, project.id, [`many-${n}`])),
          );
          const numbers = await Promise.all(
            more.map(async (id) => (await store.issues.getById(id))!.shortIdNumber),
          );
          assert.deepEqual(
            numbers.sort((x, y) => x - y),
            [2, 3, 4, 5, 6, 7],
          );
        } finally {
          await second.close();
        }
      });

      test('a node that loses the race to create a hash returns the winner and burns no number', async () => {
        const project = await seedProject(store);
        const second = await openStore(opened.url);
        try {
          let releaseWinner!: () => void;
          const winnerHeld = new Promise<void>((resolve) => {
            releaseWinner = resolve;
          });
          const winner = ingestOne(store, project.id, ['race', 'race-a'], winnerHeld);
          await new Promise((resolve) => setTimeout(resolve, 100));
          // The loser cannot see the uncommitted issue, so it creates one and waits on the counter.
          const loser = ingestOne(second, project.id, ['race', 'race-b']);
          await new Promise((resolve) => setTimeout(resolve, 100));
          releaseWinner();
          const [winnerId, loserId] = await Promise.all([winner, loser]);
          assert.equal(loserId, winnerId);
          assert.equal((await store.issues.getById(winnerId))?.timesSeen, 2);
          assert.deepEqual(await store.issues.hashes(winnerId), ['race', 'race-a', 'race-b']);
          assert.equal((await create(store, newIssue(project.id, ['after-race']))).shortIdNumber, 2);
        } finally {
          await second.close();
        }
      });
    }
  });
}

describe('openStore', () => {
  test('rejects an unknown scheme with VALIDATION naming the scheme, not the rest of the URL', async () => {
    for (const url of ['mysql://root:hunter2@db/firebreak', 'firebreak.sqlite', 'sqlite:']) {
      await assert.rejects(openStore(url), (error: unknown) => {
        assert.ok(error instanceof AppError && error.code === 'VALIDATION', String(error));
        assert.doesNotMatch(error.message, /hunter2/);
        return true;
      });
    }
    await assert.rejects(openStore('mysql://root:hunter2@db/firebreak'), /"mysql:"/);
  });

  test('opens sqlite::memory:, bare .db paths and sqlite: paths; postgres URLs open PostgreSQL', async (t) => {
    const memory = await openStore('sqlite::memory:');
    await memory.migrate();
    await memory.orgs.create({ slug: 'mem', name: 'Memory', now: T0 });
    assert.equal((await memory.orgs.list()).length, 1);
    await memory.close();

    const dir = mkdtempSync(join(tmpdir(), 'firebreak-open-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'nested', 'bare.db');
    const bare = await openStore(path, { synchronous: 'FULL' });
    await bare.migrate();
    const org = await bare.orgs.create({ slug: 'bare', name: 'Bare', now: T0 });
    await bare.close();
    await bare.close();
    const reopened = await openStore(`sqlite:${path}`);
    await reopened.migrate();
    assert.deepEqual(await reopened.orgs.getBySlug('bare'), org);
    await reopened.close();

    for (const url of ['postgres://u@127.0.0.1:1/x', 'postgresql://u@127.0.0.1:1/x']) {
      const pg = await openStore(url);
      assert.equal(pg.backend, 'postgres');
      await pg.close();
    }
  });
});
