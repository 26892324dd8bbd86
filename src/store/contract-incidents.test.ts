import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Issue, Project, Store } from './types.ts';
import type { NewIncident } from './types-incidents.ts';

const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function seedProject(store: Store): Promise<Project> {
  const org = await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 });
  return store.projects.create({ orgId: org.id, slug: uniq('web'), name: 'Web', platform: 'node', now: T0 });
}

/** An issue with `perMinute` events in each of `minutes` minute buckets from `start`. */
async function seedIssue(store: Store, project: Project, start: number, minutes: number, perMinute: number) {
  return store.ingestWrite(async (tx) => {
    const issue: Issue = await tx.createIssue({
      projectId: project.id,
      hashes: [randomBytes(8).toString('hex')],
      title: 'TypeError: boom',
      culprit: 'app.js',
      type: 'error',
      metadata: {},
      level: 'error',
      firstSeen: start,
      firstRelease: null,
      groupingVersion: 'v1',
    });
    const rows = Array.from({ length: minutes }, (_, i) => ({
      issueId: issue.id,
      projectId: project.id,
      start: start + i * MINUTE,
      count: perMinute,
    }));
    await tx.addIssueBuckets(rows);
    return issue;
  });
}

const declare = (orgId: number, issueIds: number[] = [], extra: Partial<NewIncident> = {}): NewIncident => ({
  orgId,
  title: 'Checkout is failing',
  severity: 'P2',
  issueIds,
  createdBy: 'user:1',
  now: T0,
  services: ['web'],
  entries: [{ kind: 'declared', body: 'Declared', actor: 'user:1', occurredAt: T0 }],
  ...extra,
});

for (const backend of testBackends()) {
  describe(`store contract, incidents: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened?.cleanup());

    test('numbers count per organisation, also when declared concurrently', async () => {
      const a = await seedProject(store);
      const b = await seedProject(store);
      const made = await Promise.all([1, 2, 3, 4].map(() => store.incidents.create(declare(a.orgId))));
      assert.deepEqual(made.map((i) => i.number).sort(), [1, 2, 3, 4]);
      const other = await store.incidents.create(declare(b.orgId));
      assert.equal(other.number, 1);
      assert.equal((await store.incidents.get(a.orgId, 3))?.orgId, a.orgId);
      assert.equal(await store.incidents.get(b.orgId, 3), null);
      const listed = await store.incidents.list({ orgId: a.orgId, limit: 2, offset: 1 });
      assert.deepEqual(
        listed.map((i) => i.number),
        [3, 2],
      );
    });

    test('create links issues and writes its entries; fields round-trip', async () => {
      const project = await seedProject(store);
      const issue = await seedIssue(store, project, T0 - 10 * MINUTE, 1, 1);
      const incident = await store.incidents.create(
        declare(project.orgId, [issue.id], { ticketUrl: 'https://t/1', firstEventAt: T0 - 10 * MINUTE }),
      );
      assert.deepEqual(incident.issueIds, [issue.id]);
      assert.deepEqual(incident.services, ['web']);
      assert.equal(incident.status, 'triage');
      assert.equal(incident.ticketUrl, 'https://t/1');
      assert.equal(incident.firstEventAt, T0 - 10 * MINUTE);
      assert.equal(incident.declaredAt, T0);
      assert.equal(incident.version, 1);
      const timeline = await store.timeline.list(incident.id);
      assert.deepEqual(
        timeline.map((e) => e.kind),
        ['declared'],
      );
      assert.deepEqual(
        (await store.incidents.listByIssue(issue.id)).map((i) => i.id),
        [incident.id],
      );
    });

    test('update is conditional on the version; of two racing updates one wins', async () => {
      const project = await seedProject(store);
      const incident = await store.incidents.create(declare(project.orgId));
      const race = await Promise.all(
        (['investigating', 'mitigating'] as const).map((status) =>
          store.incidents.update(incident.id, {
            expectedVersion: incident.version,
            fields: { status },
            entries: [{ kind: 'status', body: status, actor: 'user:1', occurredAt: T0 + 1 }],
            now: T0 + 1,
          }),
        ),
      );
      assert.equal(race.filter((r) => r === null).length, 1);
      const winner = race.find((r) => r !== null);
      assert.equal(winner?.version, 2);
      const timeline = await store.timeline.list(incident.id);
      assert.equal(timeline.filter((e) => e.kind === 'status').length, 1);
      const unconditional = await store.incidents.update(incident.id, {
        fields: { services: ['web', 'api'], rootCause: 'bad deploy', acknowledgedAt: T0 + 2 },
        entries: [],
        now: T0 + 2,
      });
      assert.deepEqual(unconditional?.services, ['web', 'api']);
      assert.equal(unconditional?.rootCause, 'bad deploy');
      assert.equal(unconditional?.acknowledgedAt, T0 + 2);
      assert.equal(unconditional?.version, 3);
    });

    test('roles hold one user each; links and unlinks', async () => {
      const project = await seedProject(store);
      const [alice, bob] = await Promise.all(
        ['alice', 'bob'].map((name) =>
          store.users.create({ email: `${uniq(name)}@example.com`, name, passwordHash: null, now: T0 }),
        ),
      );
      const one = await seedIssue(store, project, T0, 1, 1);
      const two = await seedIssue(store, project, T0, 1, 1);
      const incident = await store.incidents.create(declare(project.orgId, [one.id]));
      await store.incidents.update(incident.id, {
        roles: [
          { role: 'commander', userId: alice.id },
          { role: 'scribe', userId: bob.id },
        ],
        linkIssues: [two.id, one.id],
        entries: [],
        now: T0 + 1,
      });
      const changed = await store.incidents.update(incident.id, {
        roles: [
          { role: 'commander', userId: bob.id },
          { role: 'scribe', userId: null },
        ],
        unlinkIssues: [one.id],
        entries: [],
        now: T0 + 2,
      });
      assert.deepEqual(changed?.roles, [{ role: 'commander', userId: bob.id, assignedAt: T0 + 2 }]);
      assert.deepEqual(changed?.issueIds, [two.id]);
    });

    test('timeline: dedupe keys, ordering by occurrence, audited edits and stars', async () => {
      const project = await seedProject(store);
      const incident = await store.incidents.create(declare(project.orgId));
      const deploy = {
        kind: 'deploy',
        body: 'Deploy v2',
        actor: 'system',
        occurredAt: T0 - MINUTE,
        dedupeKey: 'deploy:1',
      };
      assert.equal((await store.timeline.add(incident.id, [deploy], T0 + 5)).length, 1);
      assert.equal((await store.timeline.add(incident.id, [deploy], T0 + 6)).length, 0);
      const [note] = await store.timeline.add(
        incident.id,
        [{ kind: 'hypothesis', body: 'pool exhausted', actor: 'user:2', occurredAt: T0 + 7, data: { x: 1 } }],
        T0 + 7,
      );
      assert.deepEqual(note.data, { x: 1 });
      const edited = await store.timeline.edit(note.id, {
        body: 'DB pool exhausted',
        starred: true,
        actor: 'user:3',
        now: T0 + 8,
      });
      assert.equal(edited?.body, 'DB pool exhausted');
      assert.equal(edited?.starred, true);
      assert.equal(edited?.editedAt, T0 + 8);
      assert.deepEqual(await store.timeline.edits(note.id), [
        { entryId: note.id, previousBody: 'pool exhausted', actor: 'user:3', editedAt: T0 + 8 },
      ]);
      const starOnly = await store.timeline.edit(note.id, { starred: false, actor: 'user:3', now: T0 + 9 });
      assert.equal(starOnly?.starred, false);
      assert.equal((await store.timeline.edits(note.id)).length, 1);
      assert.equal(await store.timeline.edit(999_999_999, { starred: true, actor: 'x', now: 1 }), null);
      assert.deepEqual(
        (await store.timeline.list(incident.id)).map((e) => e.kind),
        ['deploy', 'declared', 'hypothesis'],
      );
    });

    test('settings and mitigation hooks are upserted per organisation / project', async () => {
      const project = await seedProject(store);
      assert.equal(await store.incidentSettings.get(project.orgId), null);
      await store.incidentSettings.put(project.orgId, { scheme: 'P0-P3' }, T0);
      await store.incidentSettings.put(project.orgId, { scheme: 'P1-P4', roles: ['a'] }, T0 + 1);
      assert.deepEqual(await store.incidentSettings.get(project.orgId), { scheme: 'P1-P4', roles: ['a'] });
      await store.mitigationHooks.put({
        projectId: project.id,
        url: 'http://127.0.0.1:1/h',
        secret: 's',
        command: null,
        updatedAt: T0,
      });
      await store.mitigationHooks.put({
        projectId: project.id,
        url: null,
        secret: null,
        command: ['deploy', '{release}'],
        updatedAt: T0 + 1,
      });
      assert.deepEqual(await store.mitigationHooks.get(project.id), {
        projectId: project.id,
        url: null,
        secret: null,
        command: ['deploy', '{release}'],
        updatedAt: T0 + 1,
      });
      assert.equal(await store.mitigationHooks.delete(project.id), true);
      assert.equal(await store.mitigationHooks.get(project.id), null);
    });

    test('signals: deploys of the projects in a window, issue counts from minute buckets', async () => {
      const web = await seedProject(store);
      const api = await store.projects.create({
        orgId: web.orgId,
        slug: uniq('api'),
        name: 'Api',
        platform: null,
        now: T0,
      });
      const base = {
        orgId: web.orgId,
        ref: null,
        url: null,
        dateStarted: null,
        dateReleased: null,
        status: null,
        now: T0,
      };
      const { release: v1 } = await store.releases.create({
        ...base,
        version: 'v1',
        projectIds: [web.id, api.id],
      });
      const { release: v2 } = await store.releases.create({ ...base, version: 'v2', projectIds: [web.id] });
      const deploy = (releaseId: number, at: number, projectIds: number[]) =>
        store.deploys.create({
          orgId: web.orgId,
          releaseId,
          environment: 'production',
          name: null,
          url: null,
          dateStarted: null,
          dateFinished: at,
          projectIds,
        });
      await deploy(v1.id, T0, [web.id, api.id]);
      await deploy(v2.id, T0 + 10 * MINUTE, [web.id]);
      await deploy(v1.id, T0 + 20 * MINUTE, [api.id]);
      const webDeploys = await store.signals.deploys({
        projectIds: [web.id],
        start: T0,
        end: T0 + 30 * MINUTE,
        limit: 10,
      });
      assert.deepEqual(
        webDeploys.map((d) => [d.version, d.dateFinished - T0]),
        [
          ['v2', 10 * MINUTE],
          ['v1', 0],
        ],
      );
      assert.deepEqual(
        webDeploys[1].projectIds,
        [web.id, api.id].sort((a, b) => a - b),
      );
      const issue = await seedIssue(store, web, T0, 10, 3);
      const counts = await store.signals.issueCounts({
        projectIds: [web.id],
        start: T0 + 2 * MINUTE,
        end: T0 + 5 * MINUTE,
      });
      assert.deepEqual([...counts], [[issue.id, 9]]);
      assert.equal(
        (await store.signals.issueCounts({ projectIds: [api.id], start: T0, end: T0 + 60 * MINUTE })).size,
        0,
      );
    });
  });
}
