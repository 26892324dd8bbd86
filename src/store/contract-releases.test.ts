import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Project, Store } from './types.ts';
import type { NewCommit } from './types-releases.ts';

const T0 = Date.UTC(2025, 0, 1);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function seedOrg(store: Store): Promise<{ orgId: number; web: Project; api: Project }> {
  const org = await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 });
  const project = (slug: string) =>
    store.projects.create({ orgId: org.id, slug, name: slug, platform: 'node', now: T0 });
  return { orgId: org.id, web: await project('web'), api: await project('api') };
}

const commit = (sha: string, fields: Partial<NewCommit> = {}): NewCommit => ({
  sha,
  repository: 'acme/web',
  message: `commit ${sha}`,
  authorName: 'Jane',
  authorEmail: 'jane@example.com',
  dateCreated: T0,
  files: [],
  ...fields,
});

const release = (orgId: number, version: string, projectIds: number[], now = T0) => ({
  orgId,
  version,
  projectIds,
  ref: null,
  url: null,
  dateStarted: null,
  dateReleased: null,
  status: null,
  now,
});

for (const backend of testBackends()) {
  describe(`store contract, releases: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened?.cleanup());

    test('create is get-or-create: created only for a new row or a newly linked project', async () => {
      const { orgId, web, api } = await seedOrg(store);
      const first = await store.releases.create({
        ...release(orgId, 'web@1.0.0', [web.id]),
        url: 'https://x/1',
      });
      assert.equal(first.created, true);
      assert.equal(first.release.version, 'web@1.0.0');
      assert.equal(first.release.dateCreated, T0);
      assert.equal(first.release.url, 'https://x/1');
      assert.equal(first.release.status, 'open');
      assert.equal(first.release.firstEvent, null);
      assert.equal(first.release.lastEvent, null);
      assert.deepEqual(first.release.projects, [{ projectId: web.id, newGroups: 0 }]);
      assert.equal(first.release.commitCount, 0);
      assert.equal(first.release.lastCommit, null);
      assert.equal(first.release.lastDeploy, null);

      const again = await store.releases.create({
        ...release(orgId, 'web@1.0.0', [web.id], T0 + MINUTE),
        url: 'x',
      });
      assert.equal(again.created, false);
      assert.equal(again.release.id, first.release.id);
      assert.equal(again.release.url, 'https://x/1', 'an existing release keeps its fields');
      const widened = await store.releases.create(release(orgId, 'web@1.0.0', [web.id, api.id]));
      assert.equal(widened.created, true);
      const archived = await store.releases.create({
        ...release(orgId, 'web@1.0.0', []),
        status: 'archived',
      });
      assert.equal(archived.created, false);
      assert.equal(archived.release.status, 'archived', 'a status applies to an existing release too');
      const born = await store.releases.create({ ...release(orgId, 'web@0.9.0', []), status: 'archived' });
      assert.deepEqual([born.created, born.release.status, born.release.projects], [true, 'archived', []]);
      assert.deepEqual(
        widened.release.projects.map((p) => p.projectId),
        [web.id, api.id].sort((a, b) => a - b),
      );
    });

    test('ingest sightings and API creation meet on one release; firstEvent/lastEvent come from events', async () => {
      const { orgId, web } = await seedOrg(store);
      await store.releases.create(release(orgId, 'web@2.0.0', [web.id], T0));
      assert.equal((await store.releases.get(orgId, 'web@2.0.0'))!.firstEvent, null);
      assert.deepEqual(await store.releases.listByProject(web.id), [
        { version: 'web@2.0.0', firstSeen: T0, lastSeen: T0 },
      ]);
      await store.ingestWrite((tx) =>
        tx.ensureReleases([
          { orgId, projectId: web.id, version: 'web@2.0.0', seenAt: T0 + 5 * MINUTE, receivedAt: T0 + HOUR },
          { orgId, projectId: web.id, version: 'web@2.0.0', seenAt: T0 + 9 * MINUTE, receivedAt: T0 + HOUR },
          // Stamped by the device at +2 min, received at +30 min (an offline cache).
          {
            orgId,
            projectId: web.id,
            version: 'seen-only',
            seenAt: T0 + 2 * MINUTE,
            receivedAt: T0 + 30 * MINUTE,
          },
        ]),
      );
      const seen = (await store.releases.get(orgId, 'web@2.0.0'))!;
      assert.equal(seen.firstEvent, T0 + 5 * MINUTE);
      assert.equal(seen.lastEvent, T0 + 9 * MINUTE);
      assert.equal(seen.dateCreated, T0);
      const ingestOnly = (await store.releases.get(orgId, 'seen-only'))!;
      assert.equal(
        ingestOnly.dateCreated,
        T0 + 30 * MINUTE,
        "an ingest-created release dates from when the server received it, not the event's clock",
      );
      assert.equal(ingestOnly.firstEvent, T0 + 2 * MINUTE);
      const viaApi = await store.releases.create(release(orgId, 'seen-only', [web.id], T0 + HOUR));
      assert.equal(viaApi.created, false);
      assert.equal(viaApi.release.firstEvent, T0 + 2 * MINUTE);
      assert.deepEqual(await store.releases.listByProject(web.id), [
        { version: 'web@2.0.0', firstSeen: T0 + 5 * MINUTE, lastSeen: T0 + 9 * MINUTE },
        { version: 'seen-only', firstSeen: T0 + 2 * MINUTE, lastSeen: T0 + 2 * MINUTE },
      ]);
    });

    test('list: newest first, version substring, project filter, status, offset pages', async () => {
      const { orgId, web, api } = await seedOrg(store);
      for (const [i, version] of ['web@1.0.0', 'web@1.1.0', 'API@2.0.0', 'web@1.2.0'].entries()) {
        const projects = version.startsWith('API') ? [api.id] : [web.id];
        await store.releases.create(release(orgId, version, projects, T0 + i * MINUTE));
      }
      const versions = async (q: Partial<Parameters<Store['releases']['list']>[0]>) =>
        (await store.releases.list({ orgId, status: 'open', limit: 10, offset: 0, ...q })).map(
          (r) => r.version,
        );
      assert.deepEqual(await versions({}), ['web@1.2.0', 'API@2.0.0', 'web@1.1.0', 'web@1.0.0']);
      assert.deepEqual(await versions({ query: 'api@' }), ['API@2.0.0']);
      assert.deepEqual(await versions({ query: '1.1' }), ['web@1.1.0']);
      assert.deepEqual(await versions({ projectIds: [web.id] }), ['web@1.2.0', 'web@1.1.0', 'web@1.0.0']);
      assert.deepEqual(await versions({ limit: 2, offset: 2 }), ['web@1.1.0', 'web@1.0.0']);
      await store.releases.update(orgId, 'web@1.0.0', { status: 'archived' });
      assert.deepEqual(await versions({ status: 'archived' }), ['web@1.0.0']);
      assert.equal((await versions({})).length, 3);
      const other = await seedOrg(store);
      assert.deepEqual(await versions({ orgId: other.orgId }), []);
    });

    test('update changes only the given fields; unknown release → null', async () => {
      const { orgId, web } = await seedOrg(store);
      await store.releases.create({ ...release(orgId, 'v1', [web.id]), ref: 'main', url: 'https://ci/1' });
      const finalized = (await store.releases.update(orgId, 'v1', { dateReleased: T0 + MINUTE }))!;
      assert.equal(finalized.dateReleased, T0 + MINUTE);
      assert.equal(finalized.ref, 'main');
      assert.equal(finalized.url, 'https://ci/1');
      const cleared = (await store.releases.update(orgId, 'v1', { url: null, ref: 'v1-tag' }))!;
      assert.equal(cleared.url, null);
      assert.equal(cleared.ref, 'v1-tag');
      assert.equal(cleared.dateReleased, T0 + MINUTE);
      assert.equal(await store.releases.update(orgId, 'nope', { ref: 'x' }), null);
    });

    test('create and update replace the commits in the same write; an unknown release writes nothing', async () => {
      const { orgId, web } = await seedOrg(store);
      const { release: created } = await store.releases.create({
        ...release(orgId, 'v1', [web.id]),
        commits: [commit('c2'), commit('c1', { repository: 'acme/api' })],
      });
      assert.deepEqual([created.commitCount, created.lastCommit!.sha], [2, 'c2']);
      const again = await store.releases.create({ ...release(orgId, 'v1', [web.id]), commits: [] });
      assert.deepEqual([again.created, again.release.commitCount], [false, 0]);

      const updated = (await store.releases.update(
        orgId,
        'v1',
        { dateReleased: T0 + MINUTE },
        { commits: [commit('c3', { dateCreated: null })], now: T0 + HOUR },
      ))!;
      assert.equal(updated.dateReleased, T0 + MINUTE);
      assert.deepEqual([updated.commitCount, updated.lastCommit!.sha], [1, 'c3']);
      assert.equal(updated.lastCommit!.dateCreated, T0 + HOUR);
      const untouched = (await store.releases.update(orgId, 'v1', { ref: 'main' }))!;
      assert.equal(untouched.commitCount, 1, 'no commits argument leaves the commits');

      const ghost = { commits: [commit('g1', { repository: 'acme/ghost' })], now: T0 };
      assert.equal(await store.releases.update(orgId, 'nope', {}, ghost), null);
      assert.deepEqual(await store.releases.unknownRepositories(orgId, ['acme/ghost']), ['acme/ghost']);
    });

    test('setCommits replaces the list in order, with repositories, authors and changed files', async () => {
      const { orgId, web } = await seedOrg(store);
      const { release: v1 } = await store.releases.create(release(orgId, 'v1', [web.id]));
      await store.releases.setCommits(
        v1.id,
        [
          commit('c3', { files: [{ path: 'src/routes/users.js', type: 'M' }], dateCreated: T0 + 3 * MINUTE }),
          commit('c2', { authorName: 'Bob', authorEmail: 'bob@example.com', repository: 'acme/api' }),
          commit('c1', {
            files: [
              { path: 'src/app.js', type: 'A' },
              { path: 'README.md', type: 'D' },
            ],
          }),
        ],
        T0 + HOUR,
      );
      const got = (await store.releases.get(orgId, 'v1'))!;
      assert.equal(got.commitCount, 3);
      assert.equal(got.lastCommit!.sha, 'c3');
      assert.equal(got.lastCommit!.dateCreated, T0 + 3 * MINUTE);
      assert.equal(got.lastCommit!.repository.name, 'acme/web');
      assert.deepEqual(got.authors, [
        { name: 'Jane', email: 'jane@example.com' },
        { name: 'Bob', email: 'bob@example.com' },
      ]);
      const commits = await store.releases.commits(v1.id, { limit: 10, offset: 0, withFiles: true });
      assert.deepEqual(
        commits.map((c) => [c.sha, c.repository.name, c.files]),
        [
          ['c3', 'acme/web', [{ path: 'src/routes/users.js', type: 'M' }]],
          ['c2', 'acme/api', []],
          [
            'c1',
            'acme/web',
            [
              { path: 'README.md', type: 'D' },
              { path: 'src/app.js', type: 'A' },
            ],
          ],
        ],
      );
      assert.equal((await store.releases.commits(v1.id, { limit: 1, offset: 1 }))[0].sha, 'c2');
      assert.deepEqual(
        (await store.repositories.list(orgId, { limit: 10, offset: 0 })).map((r) => r.name),
        ['acme/api', 'acme/web'].sort(),
      );
      assert.deepEqual(await store.releases.unknownRepositories(orgId, ['acme/web', 'nope', 'nope']), [
        'nope',
      ]);

      // A bare re-send (as refs produce) keeps what is known; the list is replaced.
      const bare = { message: null, authorName: null, authorEmail: null, dateCreated: null, files: null };
      await store.releases.setCommits(v1.id, [commit('c1', bare)], T0 + 2 * HOUR);
      const [kept] = await store.releases.commits(v1.id, { limit: 10, offset: 0, withFiles: true });
      assert.equal(kept.message, 'commit c1');
      assert.equal(kept.authorEmail, 'jane@example.com');
      assert.equal(kept.dateCreated, T0);
      assert.equal(kept.files!.length, 2);
      assert.equal((await store.releases.get(orgId, 'v1'))!.commitCount, 1);
      const fresh = { ...bare, sha: 'new', repository: 'acme/web' };
      await store.releases.setCommits(v1.id, [fresh], T0 + 3 * HOUR);
      assert.equal((await store.releases.get(orgId, 'v1'))!.lastCommit!.dateCreated, T0 + 3 * HOUR);
      await store.releases.setCommits(v1.id, [], T0);
      assert.equal((await store.releases.get(orgId, 'v1'))!.commitCount, 0);
    });

    test('previousWithCommits: the newest earlier release sharing a project that has commits', async () => {
      const { orgId, web, api } = await seedOrg(store);
      const v1 = (await store.releases.create(release(orgId, 'v1', [web.id], T0))).release;
      const v2 = (await store.releases.create(release(orgId, 'v2', [web.id], T0 + MINUTE))).release;
      const apiOnly = (await store.releases.create(release(orgId, 'api1', [api.id], T0 + 2 * MINUTE)))
        .release;
      const v3 = (await store.releases.create(release(orgId, 'v3', [web.id], T0 + 3 * MINUTE))).release;
      assert.equal(await store.releases.previousWithCommits(v3.id), null);
      await store.releases.setCommits(v1.id, [commit('a1')], T0);
      await store.releases.setCommits(apiOnly.id, [commit('b1')], T0);
      await store.releases.setCommits(v3.id, [commit('c1')], T0);
      assert.equal((await store.releases.previousWithCommits(v3.id))!.version, 'v1', 'v2 has no commits');
      assert.equal((await store.releases.previousWithCommits(v2.id))!.version, 'v1');
      assert.equal(await store.releases.previousWithCommits(v1.id), null, 'never itself or a later one');
      // A finalized release dates from its release date.
      await store.releases.update(orgId, 'v1', { dateReleased: T0 + 10 * MINUTE });
      assert.equal(await store.releases.previousWithCommits(v3.id), null);
    });

    test('deploys: create, list newest first, counts on the release, environment recorded', async () => {
      const { orgId, web, api } = await seedOrg(store);
      const { release: v1 } = await store.releases.create(release(orgId, 'v1', [web.id, api.id]));
      const base = { orgId, releaseId: v1.id, name: null, url: null, dateStarted: null };
      const staging = await store.deploys.create({
        ...base,
        environment: 'staging',
        dateFinished: T0 + MINUTE,
        projectIds: [web.id, api.id],
      });
      assert.equal(staging.environment, 'staging');
      assert.deepEqual(
        staging.projectIds,
        [web.id, api.id].sort((a, b) => a - b),
      );
      const prod = await store.deploys.create({
        ...base,
        environment: 'production',
        name: 'deploy 7',
        url: 'https://ci/7',
        dateStarted: T0 + MINUTE,
        dateFinished: T0 + 2 * MINUTE,
        projectIds: [web.id],
      });
      const list = await store.deploys.list(v1.id, { limit: 10, offset: 0 });
      assert.deepEqual(list, [prod, staging]);
      assert.deepEqual(await store.deploys.list(v1.id, { projectId: api.id, limit: 10, offset: 0 }), [
        staging,
      ]);
      const got = (await store.releases.get(orgId, 'v1'))!;
      assert.equal(got.deployCount, 2);
      assert.deepEqual(got.lastDeploy, prod);
      assert.deepEqual(await store.environments.listByProject(web.id), ['production', 'staging']);
      assert.deepEqual(await store.environments.listByProject(api.id), ['staging']);
    });

    test('newGroups counts issues first seen in the release; delete refuses a release issues started in', async () => {
      const { orgId, web } = await seedOrg(store);
      await store.releases.create(release(orgId, 'v1', [web.id]));
      const { release: v2 } = await store.releases.create(release(orgId, 'v2', [web.id]));
      await store.ingestWrite((tx) =>
        tx.createIssue({
          projectId: web.id,
          hashes: [uniq('h')],
          title: 'E',
          culprit: 'x',
          type: 'error',
          metadata: {},
          level: 'error',
          firstSeen: T0,
          firstRelease: 'v1',
          groupingVersion: 'v1',
        }),
      );
      assert.deepEqual((await store.releases.get(orgId, 'v1'))!.projects, [
        { projectId: web.id, newGroups: 1 },
      ]);
      assert.equal(await store.releases.delete(orgId, 'v1'), 'in-use');
      await store.releases.setCommits(v2.id, [commit('d1')], T0);
      await store.deploys.create({
        orgId,
        releaseId: v2.id,
        environment: 'production',
        name: null,
        url: null,
        dateStarted: null,
        dateFinished: T0,
        projectIds: [web.id],
      });
      assert.equal(await store.releases.delete(orgId, 'v2'), 'deleted');
      assert.equal(await store.releases.get(orgId, 'v2'), null);
      assert.equal(await store.releases.delete(orgId, 'v2'), 'missing');
      assert.ok(await store.releases.get(orgId, 'v1'));
    });
  });
}
