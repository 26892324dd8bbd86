import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../app-error.ts';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Store } from './types.ts';

const T0 = Date.UTC(2025, 0, 1);
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const hex = () => randomBytes(16).toString('hex');
const isAppError = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

for (const backend of testBackends()) {
  describe(`accounts store contract: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened?.cleanup());

    const newOrg = () => store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 });
    const newUser = (membership?: { orgId: number; role: 'owner' | 'admin' | 'member' }) =>
      store.users.create({
        email: `${uniq('u')}@example.com`,
        name: 'U',
        passwordHash: null,
        now: T0,
        membership,
      });

    test('users.create with a membership joins the org in the same write; members list, role, remove', async () => {
      const org = await newOrg();
      const ada = await newUser({ orgId: org.id, role: 'owner' });
      const bob = await newUser();
      assert.deepEqual(await store.members.get(org.id, ada.id), {
        orgId: org.id,
        userId: ada.id,
        role: 'owner',
        createdAt: T0,
      });
      assert.equal(await store.members.get(org.id, bob.id), null);
      await store.members.add({ orgId: org.id, userId: bob.id, role: 'member', now: T0 + 1 });
      await assert.rejects(
        store.members.add({ orgId: org.id, userId: bob.id, role: 'admin', now: T0 }),
        isAppError('CONFLICT'),
      );
      const listed = await store.members.listByOrg(org.id);
      assert.deepEqual(
        listed.map((m) => [m.user.email, m.role, m.createdAt]).sort(),
        [
          [ada.email, 'owner', T0],
          [bob.email, 'member', T0 + 1],
        ].sort(),
      );
      assert.deepEqual(
        (await store.orgs.listForUser(bob.id)).map((o) => o.id),
        [org.id],
      );
      assert.equal((await store.members.setRole(org.id, bob.id, 'admin'))?.role, 'admin');
      assert.equal(await store.members.setRole(org.id, 999_999, 'admin'), null);

      const team = await store.teams.create({
        orgId: org.id,
        slug: 'core',
        name: 'Core',
        now: T0,
        memberUserId: bob.id,
      });
      assert.deepEqual((await store.teams.memberIds([team.id])).get(team.id), [bob.id]);
      const carol = await newUser();
      await store.members.add({
        orgId: org.id,
        userId: carol.id,
        role: 'member',
        now: T0,
        teamIds: [team.id],
      });
      assert.deepEqual((await store.teams.memberIds([team.id])).get(team.id), [bob.id, carol.id]);
      await assert.rejects(
        store.members.add({
          orgId: org.id,
          userId: (await newUser()).id,
          role: 'member',
          now: T0,
          teamIds: [987_654],
        }),
      );
      assert.equal((await store.members.listByOrg(org.id)).length, 3, 'a failed add leaves no membership');
      await store.members.remove(org.id, carol.id);
      assert.equal(await store.members.remove(org.id, bob.id), true);
      assert.equal(await store.members.remove(org.id, bob.id), false);
      assert.equal((await store.teams.memberIds([team.id])).get(team.id), undefined, 'team places go too');
      assert.deepEqual(await store.orgs.listForUser(bob.id), []);
    });

    test('a user create that fails on its membership leaves no user behind', async () => {
      const email = `${uniq('ghost')}@example.com`;
      await assert.rejects(
        store.users.create({
          email,
          name: 'Ghost',
          passwordHash: null,
          now: T0,
          membership: { orgId: 987_654_321, role: 'member' },
        }),
      );
      assert.equal(await store.users.getByEmail(email), null);
    });

    test('teams: create, look up, duplicate slug, projects and members', async () => {
      const org = await newOrg();
      const other = await newOrg();
      const user = await newUser({ orgId: org.id, role: 'member' });
      const team = await store.teams.create({ orgId: org.id, slug: 'backend', name: 'Backend', now: T0 });
      assert.deepEqual(team, { id: team.id, orgId: org.id, slug: 'backend', name: 'Backend', createdAt: T0 });
      assert.deepEqual(await store.teams.getById(team.id), team);
      assert.deepEqual(await store.teams.getBySlug(org.id, 'backend'), team);
      assert.equal(await store.teams.getBySlug(other.id, 'backend'), null);
      assert.equal(await store.teams.getById(999_999), null);
      await assert.rejects(
        store.teams.create({ orgId: org.id, slug: 'backend', name: 'Again', now: T0 }),
        isAppError('CONFLICT'),
      );
      await store.teams.create({ orgId: other.id, slug: 'backend', name: 'Elsewhere', now: T0 });
      const alpha = await store.teams.create({ orgId: org.id, slug: 'alpha', name: 'Alpha', now: T0 });
      assert.deepEqual(
        (await store.teams.listByOrg(org.id)).map((t) => t.slug),
        ['alpha', 'backend'],
      );

      const { project, key } = await store.projects.createInTeam({
        orgId: org.id,
        teamId: team.id,
        slug: 'api',
        name: 'API',
        platform: 'node',
        now: T0,
        key: { label: 'Default', publicKey: hex(), secretKey: hex() },
      });
      assert.equal(key.projectId, project.id);
      assert.equal(key.isActive, true);
      assert.deepEqual(await store.keys.listByProject(project.id), [key]);
      assert.equal(await store.teams.addProject(alpha.id, project.id), true);
      assert.equal(await store.teams.addProject(alpha.id, project.id), false);
      const byProject = await store.teams.listByProjects([project.id, 999_999]);
      assert.deepEqual(
        byProject.get(project.id)?.map((t) => t.slug),
        ['alpha', 'backend'],
      );
      assert.equal(byProject.has(999_999), false);
      assert.deepEqual(
        (await store.teams.projects([team.id, alpha.id])).get(alpha.id)?.map((p) => p.slug),
        ['api'],
      );
      assert.equal(await store.teams.removeProject(alpha.id, project.id), true);
      assert.equal(await store.teams.removeProject(alpha.id, project.id), false);
      assert.equal((await store.teams.projects([alpha.id])).has(alpha.id), false);

      assert.equal(await store.teams.addMember(team.id, user.id, T0), true);
      assert.equal(await store.teams.addMember(team.id, user.id, T0), false);
      assert.deepEqual((await store.teams.memberIds([team.id, alpha.id])).get(team.id), [user.id]);
      assert.equal(await store.teams.removeMember(team.id, user.id), true);
      assert.equal(await store.teams.removeMember(team.id, user.id), false);
    });

    test('createInTeam is one transaction: a duplicate slug leaves no key and no link', async () => {
      const org = await newOrg();
      const team = await store.teams.create({ orgId: org.id, slug: 't', name: 'T', now: T0 });
      const first = await store.projects.createInTeam({
        orgId: org.id,
        teamId: team.id,
        slug: 'web',
        name: 'Web',
        platform: null,
        now: T0,
        key: { label: 'Default', publicKey: hex(), secretKey: hex() },
      });
      const publicKey = hex();
      await assert.rejects(
        store.projects.createInTeam({
          orgId: org.id,
          teamId: team.id,
          slug: 'web',
          name: 'Twin',
          platform: null,
          now: T0,
          key: { label: 'Default', publicKey, secretKey: hex() },
        }),
        isAppError('CONFLICT'),
      );
      assert.equal(await store.keys.getByPublicKey(publicKey), null);
      assert.deepEqual(
        (await store.teams.projects([team.id])).get(team.id)?.map((p) => p.id),
        [first.project.id],
      );
    });

    test('projects.update renames the slug; a taken slug is a CONFLICT', async () => {
      const org = await newOrg();
      const web = await store.projects.create({
        orgId: org.id,
        slug: 'web',
        name: 'Web',
        platform: null,
        now: T0,
      });
      await store.projects.create({ orgId: org.id, slug: 'api', name: 'API', platform: null, now: T0 });
      const renamed = await store.projects.update(web.id, { slug: 'frontend', name: 'Frontend' });
      assert.deepEqual(renamed, { ...web, slug: 'frontend', name: 'Frontend' });
      assert.equal(await store.projects.getBySlug(org.id, 'web'), null);
      await assert.rejects(store.projects.update(web.id, { slug: 'api' }), isAppError('CONFLICT'));
    });

    test('keys: delete, and rotate disables the old key and copies label and rate limit', async () => {
      const org = await newOrg();
      const project = await store.projects.create({
        orgId: org.id,
        slug: 'p',
        name: 'P',
        platform: null,
        now: T0,
      });
      const key = await store.keys.create({
        projectId: project.id,
        label: 'CI',
        publicKey: hex(),
        secretKey: hex(),
        now: T0,
      });
      await store.keys.update(key.id, { rateLimitCount: 50, rateLimitWindowSeconds: 60 });
      const publicKey = hex();
      const rotated = await store.keys.rotate(key.id, { publicKey, secretKey: hex(), now: T0 + 5 });
      assert.ok(rotated);
      assert.equal(rotated.retired.isActive, false);
      assert.equal(rotated.retired.publicKey, key.publicKey);
      assert.deepEqual(
        [
          rotated.created.label,
          rotated.created.publicKey,
          rotated.created.isActive,
          rotated.created.createdAt,
        ],
        ['CI', publicKey, true, T0 + 5],
      );
      assert.deepEqual([rotated.created.rateLimitCount, rotated.created.rateLimitWindowSeconds], [50, 60]);
      assert.equal((await store.keys.getByPublicKey(key.publicKey))?.isActive, false);
      assert.equal(await store.keys.rotate(999_999, { publicKey: hex(), secretKey: hex(), now: T0 }), null);
      assert.equal(await store.keys.delete(key.id), true);
      assert.equal(await store.keys.delete(key.id), false);
      assert.deepEqual(
        (await store.keys.listByProject(project.id)).map((k) => k.publicKey),
        [publicKey],
      );
    });

    test('tokens: list by org or user (active only) and get by id', async () => {
      const org = await newOrg();
      const user = await newUser({ orgId: org.id, role: 'member' });
      const token = (orgId: number | null, userId: number | null) =>
        store.tokens.create({
          kind: 'user',
          orgId,
          userId,
          name: 't',
          scopes: ['org:read'],
          tokenHash: hex(),
          tokenPrefix: 'sntryu_x',
          createdAt: T0,
        });
      const orgToken = await token(org.id, null);
      const userToken = await token(null, user.id);
      const revoked = await token(org.id, null);
      await store.tokens.revoke(revoked.id, T0 + 1);
      assert.deepEqual(
        (await store.tokens.list({ orgId: org.id })).map((t) => t.id),
        [orgToken.id],
      );
      assert.deepEqual(
        (await store.tokens.list({ userId: user.id })).map((t) => t.id),
        [userToken.id],
      );
      assert.equal((await store.tokens.getById(revoked.id))?.revokedAt, T0 + 1);
      assert.equal(await store.tokens.getById(999_999), null);
    });
  });
}
