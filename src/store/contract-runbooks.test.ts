import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Issue, Project, Store } from './types.ts';

const T0 = Date.UTC(2026, 0, 1);
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function seedOrg(store: Store) {
  const org = await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 });
  const web = await store.projects.create({
    orgId: org.id,
    slug: uniq('web'),
    name: 'Web',
    platform: null,
    now: T0,
  });
  const api = await store.projects.create({
    orgId: org.id,
    slug: uniq('api'),
    name: 'Api',
    platform: null,
    now: T0,
  });
  return { org, web, api };
}

async function seedIssue(store: Store, project: Project, hashes: string[]): Promise<Issue> {
  return store.ingestWrite((tx) =>
    tx.createIssue({
      projectId: project.id,
      hashes,
      title: 'TypeError: boom',
      culprit: 'app.js',
      type: 'error',
      metadata: {},
      level: 'error',
      firstSeen: T0,
      firstRelease: null,
      groupingVersion: 'v1',
    }),
  );
}

const declare = (store: Store, orgId: number, issueIds: number[], now: number) =>
  store.incidents.create({
    orgId,
    title: 'Down',
    severity: 'P2',
    issueIds,
    createdBy: 'user:1',
    now,
    entries: [],
  });

for (const backend of testBackends()) {
  describe(`store contract, runbooks and incident memory: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened?.cleanup());

    test('runbooks: create, list by project and tag, match, replace, delete with audit rows', async () => {
      const { org, web, api } = await seedOrg(store);
      const other = await seedOrg(store);
      const body = '# API down\n\n1. `kubectl get pods`\n<script>kept as text</script>\n';
      const a = await store.runbooks.create(
        {
          orgId: org.id,
          title: 'API latency',
          body,
          projectIds: [api.id],
          tags: [{ key: 'service', value: 'api' }],
          actor: 'user:1',
          now: T0,
        },
        {
          orgId: org.id,
          actor: 'user:1',
          action: 'runbook.create',
          targetType: 'runbook',
          data: {},
          now: T0,
        },
      );
      assert.equal(a.body, body);
      assert.deepEqual(a.projectIds, [api.id]);
      assert.deepEqual(a.tags, [{ key: 'service', value: 'api' }]);
      const b = await store.runbooks.create({
        orgId: org.id,
        title: 'Database outage',
        body: 'x',
        projectIds: [web.id, api.id],
        tags: [],
        actor: 'user:1',
        now: T0,
      });
      assert.equal(await store.runbooks.get(other.org.id, a.id), null);
      assert.deepEqual(
        (await store.runbooks.list({ orgId: org.id, limit: 10, offset: 0 })).map((r) => r.title),
        ['API latency', 'Database outage'],
      );
      assert.deepEqual(
        (await store.runbooks.list({ orgId: org.id, projectId: web.id, limit: 10, offset: 0 })).map(
          (r) => r.id,
        ),
        [b.id],
      );
      assert.deepEqual(
        (
          await store.runbooks.list({
            orgId: org.id,
            tag: { key: 'service', value: 'api' },
            limit: 10,
            offset: 0,
          })
        ).map((r) => r.id),
        [a.id],
      );
      assert.deepEqual(await store.runbooks.tagKeys(org.id), ['service']);
      const byTag = await store.runbooks.matching({
        orgId: org.id,
        projectIds: [],
        tags: [
          { key: 'service', value: 'web' },
          { key: 'service', value: 'api' },
        ],
      });
      assert.deepEqual(
        byTag.map((r) => r.id),
        [a.id],
      );
      assert.deepEqual(
        (await store.runbooks.matching({ orgId: other.org.id, projectIds: [web.id], tags: [] })).length,
        0,
      );
      const updated = await store.runbooks.update(org.id, a.id, {
        title: 'API latency v2',
        body: 'y',
        projectIds: [],
        tags: [{ key: 'region', value: 'eu' }],
        actor: 'user:2',
        now: T0 + 1,
      });
      assert.equal(updated?.updatedBy, 'user:2');
      assert.deepEqual(updated?.projectIds, []);
      assert.deepEqual(updated?.tags, [{ key: 'region', value: 'eu' }]);
      assert.equal(
        await store.runbooks.update(other.org.id, a.id, { ...updated!, actor: 'x', now: 0 }),
        null,
      );
      assert.equal(await store.runbooks.delete(other.org.id, a.id), false);
      assert.equal(await store.runbooks.delete(org.id, a.id), true);
      assert.equal(await store.runbooks.get(org.id, a.id), null);
      const audit = await store.audit.list(org.id, { limit: 10 });
      assert.deepEqual(
        audit.map((r) => [r.action, r.targetId]),
        [['runbook.create', String(a.id)]],
      );
    });

    test('memory: incidents sharing an issue or a grouping hash; links; signatures; declared range', async () => {
      const { org, web, api } = await seedOrg(store);
      const hash = randomBytes(8).toString('hex');
      const first = await seedIssue(store, web, [hash]);
      const sameCrashElsewhere = await seedIssue(store, api, [hash]);
      const unrelated = await seedIssue(store, web, [randomBytes(8).toString('hex')]);
      const inc1 = await declare(store, org.id, [first.id], T0);
      const inc2 = await declare(store, org.id, [unrelated.id], T0 + 1000);
      const inc3 = await declare(store, org.id, [first.id], T0 + 2000);
      const matches = await store.incidentMemory.sharingIssues({
        orgId: org.id,
        issueIds: [first.id],
        excludeIncidentId: inc3.id,
      });
      assert.deepEqual(matches, [
        { incidentId: inc1.id, pastIssueId: first.id, issueId: first.id, via: 'issue' },
      ]);
      const viaHash = await store.incidentMemory.sharingIssues({
        orgId: org.id,
        issueIds: [sameCrashElsewhere.id],
        excludeIncidentId: 0,
      });
      assert.deepEqual(
        viaHash.map((m) => [m.incidentId, m.via]),
        [
          [inc1.id, 'hash'],
          [inc3.id, 'hash'],
        ],
      );
      assert.equal(
        await store.incidentMemory.link({
          incidentId: inc3.id,
          relatedId: inc1.id,
          relation: 'recurrence',
          data: { via: 'issue' },
          createdAt: T0,
        }),
        true,
      );
      assert.equal(
        await store.incidentMemory.link({
          incidentId: inc3.id,
          relatedId: inc1.id,
          relation: 'recurrence',
          data: {},
          createdAt: T0,
        }),
        false,
      );
      const links = await store.incidentMemory.links(inc1.id);
      assert.deepEqual(links, [
        {
          incidentId: inc3.id,
          relatedId: inc1.id,
          relation: 'recurrence',
          data: { via: 'issue' },
          createdAt: T0,
        },
      ]);
      await store.incidentMemory.putSignature(inc1.id, { issues: [{ issueId: first.id }] }, T0);
      await store.incidentMemory.putSignature(inc1.id, { issues: [] }, T0 + 5);
      const signatures = await store.incidentMemory.signatures([inc1.id, inc2.id]);
      assert.deepEqual([...signatures], [[inc1.id, { signature: { issues: [] }, computedAt: T0 + 5 }]]);
      const declared = await store.incidentMemory.listDeclared({
        orgId: org.id,
        start: T0 + 1000,
        end: T0 + 3000,
        limit: 10,
      });
      assert.deepEqual(
        declared.map((i) => [i.number, i.issueIds]),
        [
          [3, [first.id]],
          [2, [unrelated.id]],
        ],
      );
    });
  });
}
