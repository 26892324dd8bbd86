import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Issue, Project, Store } from './types.ts';
import type { NewAlertFiring, NewAlertRule, SessionUpdate } from './types-alerts.ts';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const HOUR = 3_600_000;
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function seedProject(store: Store): Promise<Project> {
  const org = await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 });
  return store.projects.create({ orgId: org.id, slug: uniq('web'), name: 'Web', platform: 'node', now: T0 });
}

async function seedIssue(
  store: Store,
  project: Project,
  firstSeen: number,
  buckets: [number, number][] = [],
) {
  return store.ingestWrite(async (tx) => {
    const issue: Issue = await tx.createIssue({
      projectId: project.id,
      hashes: [randomBytes(8).toString('hex')],
      title: 'TypeError: boom',
      culprit: 'app.js',
      type: 'error',
      metadata: {},
      level: 'error',
      firstSeen,
      firstRelease: null,
      groupingVersion: 'v1',
    });
    await tx.addIssueBuckets(
      buckets.map(([start, count]) => ({ issueId: issue.id, projectId: project.id, start, count })),
    );
    return issue;
  });
}

const rule = (project: Project, extra: Partial<NewAlertRule> = {}): NewAlertRule => ({
  orgId: project.orgId,
  projectId: project.id,
  name: 'Spikes',
  detector: 'spike',
  enabled: true,
  conditions: { factor: 3 },
  filters: { levels: ['error'] },
  actions: [{ type: 'notify', targetIds: [1] }],
  cooldownMinutes: 30,
  isDefault: false,
  createdBy: 'user:1',
  createdAt: T0,
  ...extra,
});

const firing = (ruleId: number, project: Project, extra: Partial<NewAlertFiring> = {}): NewAlertFiring => ({
  ruleId,
  orgId: project.orgId,
  projectId: project.id,
  detector: 'spike',
  subject: 'issue:1',
  key: uniq('key'),
  issueId: null,
  firedAt: T0,
  summary: 'spike',
  data: { count: 60, baseline: 20 },
  cooldownMs: 30 * MINUTE,
  ...extra,
});

const session = (project: Project, sid: string, extra: Partial<SessionUpdate> = {}): SessionUpdate => ({
  projectId: project.id,
  release: 'web@1',
  environment: 'production',
  hour: T0,
  sid,
  did: null,
  init: false,
  outcome: null,
  seenAt: T0,
  ...extra,
});

for (const backend of testBackends()) {
  describe(`store contract, alerts: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened.cleanup());

    test('rules: create, list, update, delete; defaults are created once per project', async () => {
      const project = await seedProject(store);
      const created = await store.alertRules.create(rule(project));
      assert.deepEqual(
        [
          created.name,
          created.enabled,
          created.conditions,
          created.filters,
          created.actions,
          created.isDefault,
        ],
        ['Spikes', true, { factor: 3 }, { levels: ['error'] }, [{ type: 'notify', targetIds: [1] }], false],
      );
      const updated = await store.alertRules.update(
        created.id,
        { enabled: false, conditions: { factor: 5 } },
        T0 + 1,
      );
      assert.deepEqual(
        [updated?.enabled, updated?.conditions, updated?.updatedAt],
        [false, { factor: 5 }, T0 + 1],
      );
      assert.equal(
        (await store.alertRules.listEnabled()).some((r) => r.id === created.id),
        false,
      );
      assert.equal(await store.alertRules.update(999_999, { name: 'x' }, T0), null);
      // Enabled since its creation; edited while off, then enabled again: since then.
      assert.equal(created.enabledAt, created.createdAt);
      assert.equal((await store.alertRules.update(created.id, { name: 'Off' }, T0 + 2))?.enabledAt, T0 + 2);
      const enabled = await store.alertRules.update(created.id, { enabled: true }, T0 + 3);
      assert.deepEqual([enabled?.enabled, enabled?.enabledAt], [true, T0 + 3]);
      const renamed = await store.alertRules.update(created.id, { name: 'Spikes', enabled: true }, T0 + 4);
      assert.deepEqual([renamed?.enabledAt, renamed?.updatedAt], [T0 + 3, T0 + 4]);
      await store.alertRules.update(created.id, { enabled: false }, T0 + 5);

      assert.ok((await store.alertRules.projectsWithoutDefaults()).includes(project.id));
      const defaults = [rule(project, { name: 'New issues', detector: 'new_issue', isDefault: true })];
      const [first, second] = await Promise.all([
        store.alertRules.createDefaults(project.id, defaults),
        store.alertRules.createDefaults(project.id, defaults),
      ]);
      assert.equal(first.length + second.length, 1);
      assert.equal((await store.alertRules.projectsWithoutDefaults()).includes(project.id), false);
      const listed = await store.alertRules.listByProject(project.id);
      assert.deepEqual(
        listed.map((r) => [r.name, r.isDefault]),
        [
          ['Spikes', false],
          ['New issues', true],
        ],
      );
      assert.equal(await store.alertRules.delete(created.id), true);
      assert.equal(await store.alertRules.delete(created.id), false);
      assert.equal(await store.alertRules.get(created.id), null);
    });

    test('firings: a key is claimed once, the cooldown holds per subject, racing claims yield one', async () => {
      const project = await seedProject(store);
      const r = await store.alertRules.create(rule(project));
      const key = uniq('spike');
      const claimed = await store.alertFirings.claim(firing(r.id, project, { key }));
      assert.equal(claimed?.status, 'claimed');
      assert.equal(await store.alertFirings.claim(firing(r.id, project, { key, firedAt: T0 + HOUR })), null);
      const unclaimed = uniq('spike');
      assert.deepEqual(await store.alertFirings.claimedKeys([unclaimed, key, key]), new Set([key]));
      assert.deepEqual(await store.alertFirings.claimedKeys([]), new Set());
      // Another key for the same subject inside the cooldown: not claimed; after it: claimed.
      assert.equal(
        await store.alertFirings.claim(firing(r.id, project, { firedAt: T0 + 10 * MINUTE })),
        null,
      );
      const later = await store.alertFirings.claim(firing(r.id, project, { firedAt: T0 + 31 * MINUTE }));
      assert.ok(later);
      // Another subject is independent.
      assert.ok(await store.alertFirings.claim(firing(r.id, project, { subject: 'issue:2', firedAt: T0 })));

      const race = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          store.alertFirings.claim(firing(r.id, project, { subject: 'issue:3', firedAt: T0 + i * 1000 })),
        ),
      );
      assert.equal(race.filter(Boolean).length, 1);

      const done = await store.alertFirings.finish(claimed!.id, [{ type: 'notify', enqueued: 1 }]);
      assert.deepEqual([done?.status, done?.results], ['done', [{ type: 'notify', enqueued: 1 }]]);
      const listed = await store.alertFirings.list({
        orgId: project.orgId,
        ruleId: r.id,
        limit: 10,
        offset: 0,
      });
      assert.equal(listed.length, 4);
      assert.equal(listed[0].firedAt >= listed.at(-1)!.firedAt, true);
      assert.deepEqual(listed.at(-1)?.data, { count: 60, baseline: 20 });
      assert.equal(
        (await store.alertFirings.list({ orgId: project.orgId + 1000, limit: 10, offset: 0 })).length,
        0,
      );
    });

    test('positions only move forward', async () => {
      const name = uniq('pos');
      assert.equal(await store.detectorPositions.get(name), null);
      await store.detectorPositions.advance(name, T0 + 5);
      await store.detectorPositions.advance(name, T0);
      assert.equal(await store.detectorPositions.get(name), T0 + 5);
    });

    test('signals: new issues, regressions, minute and hour counts, tag filters', async () => {
      const project = await seedProject(store);
      const old = await seedIssue(store, project, T0 - HOUR, [
        [T0 - 2 * MINUTE, 4],
        [T0 - MINUTE, 6],
      ]);
      const fresh = await seedIssue(store, project, T0, [[T0 - MINUTE, 1]]);
      const found = await store.detectSignals.newIssues({ projectIds: [project.id], since: T0 - MINUTE });
      assert.deepEqual(
        found.map((i) => i.issueId),
        [fresh.id],
      );
      const perIssue = await store.detectSignals.minuteCounts({
        projectId: project.id,
        start: T0 - 5 * MINUTE,
        end: T0,
        perIssue: true,
      });
      assert.deepEqual(
        perIssue.map((r) => [r.issueId, r.start, r.count]),
        [
          [old.id, T0 - 2 * MINUTE, 4],
          [old.id, T0 - MINUTE, 6],
          [fresh.id, T0 - MINUTE, 1],
        ],
      );
      const summed = await store.detectSignals.minuteCounts({
        projectId: project.id,
        issueIds: [old.id, fresh.id],
        start: T0 - 5 * MINUTE,
        end: T0,
        perIssue: false,
      });
      assert.deepEqual(
        summed.map((r) => [r.issueId, r.start, r.count]),
        [
          [null, T0 - 2 * MINUTE, 4],
          [null, T0 - MINUTE, 7],
        ],
      );
      const hours = await store.detectSignals.hourCounts({
        projectId: project.id,
        issueIds: [old.id],
        start: T0 - HOUR,
        end: T0,
        perIssue: true,
      });
      assert.deepEqual(
        hours.map((r) => r.count),
        [10],
      );

      await store.ingestWrite(async (tx) => {
        await tx.addActivities([
          {
            issueId: old.id,
            type: 'set_regression',
            data: { version: 'web@2' },
            actor: 'system',
            createdAt: T0,
          },
        ]);
        await tx.addTagValues([
          { issueId: old.id, key: 'environment', value: 'production', count: 1, firstSeen: T0, lastSeen: T0 },
          { issueId: old.id, key: 'region', value: 'eu', count: 1, firstSeen: T0, lastSeen: T0 },
          { issueId: fresh.id, key: 'environment', value: 'staging', count: 1, firstSeen: T0, lastSeen: T0 },
        ]);
      });
      const regressions = await store.detectSignals.regressions({ projectIds: [project.id], since: T0 });
      assert.deepEqual(
        regressions.map((r) => [r.issueId, r.release]),
        [[old.id, 'web@2']],
      );
      const ids = [old.id, fresh.id];
      assert.deepEqual([...(await store.detectSignals.matchingIssues(ids, {}))], ids);
      assert.deepEqual(
        [...(await store.detectSignals.matchingIssues(ids, { environments: ['production'] }))],
        [old.id],
      );
      assert.deepEqual(
        [
          ...(await store.detectSignals.matchingIssues(ids, {
            environments: ['staging'],
            tags: { region: 'eu' },
          })),
        ],
        [],
      );
    });

    test('release health: a session counts once under its worst outcome; aggregates and users add up', async () => {
      const project = await seedProject(store);
      await store.releaseHealth.record({
        updates: [
          session(project, 's1', { init: true, did: 'u1' }),
          session(project, 's2', { init: true, did: 'u2' }),
          session(project, 's3', { init: true, did: 'u2' }),
          session(project, 's2', { outcome: 'errored', did: 'u2' }),
        ],
        aggregates: [],
      });
      await store.releaseHealth.record({
        updates: [
          session(project, 's2', { outcome: 'errored', did: 'u2' }),
          session(project, 's2', { outcome: 'crashed', did: 'u2' }),
          session(project, 's3', { outcome: 'abnormal' }),
          session(project, 's3', { outcome: 'errored' }),
        ],
        aggregates: [
          {
            projectId: project.id,
            release: 'web@1',
            environment: 'staging',
            hour: T0 + HOUR,
            did: 'u9',
            healthy: 5,
            errored: 2,
            abnormal: 0,
            unhandled: 0,
            crashed: 1,
            seenAt: T0 + HOUR,
          },
        ],
      });
      const [total] = await store.releaseHealth.totals({ projectIds: [project.id] });
      assert.deepEqual(
        [total.sessions, total.crashed, total.errored, total.abnormal, total.users, total.crashedUsers],
        [11, 2, 2, 1, 3, 2],
      );
      assert.deepEqual([total.firstSeen, total.lastSeen], [T0, T0 + HOUR]);
      const byEnv = await store.releaseHealth.totals({ projectIds: [project.id], byEnvironment: true });
      assert.deepEqual(byEnv.map((r) => [r.environment, r.sessions, r.crashed]).sort(), [
        ['production', 3, 1],
        ['staging', 8, 1],
      ]);
      const recent = await store.releaseHealth.totals({ projectIds: [project.id], since: T0 + HOUR });
      assert.deepEqual([recent[0].sessions, recent[0].users], [8, 1]);
      assert.deepEqual(
        await store.releaseHealth.totals({ projectIds: [project.id], releases: ['web@2'] }),
        [],
      );
      assert.equal(await store.releaseHealth.prune(T0 + 1), 2);
    });
  });
}
