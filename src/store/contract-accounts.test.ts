import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { AppError } from '../app-error.ts';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Store } from './types.ts';

const T0 = Date.UTC(2025, 0, 1);
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
const hex = () => randomBytes(16).toString('hex');
const isAppError = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;

/**
 * Gives the sorted text columns a locale collation, as a database created with a locale
 * (`en_US.UTF-8`, ICU) has; the test databases here use C.UTF-8, which hides the difference.
 */
async function collateByLocale(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [table, column] of [
      ['orgs', 'slug'],
      ['projects', 'slug'],
      ['teams', 'slug'],
      ['users', 'email'],
    ]) {
      await client.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE text COLLATE "und-x-icu"`);
    }
  } finally {
    await client.end();
  }
}

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

    test('the last owner stays: demoting or removing it is a CONFLICT decided in the write, even in a race', async () => {
      const org = await newOrg();
      const ada = await newUser({ orgId: org.id, role: 'owner' });
      const bob = await newUser({ orgId: org.id, role: 'owner' });
      const carol = await newUser({ orgId: org.id, role: 'member' });
      const owners = async () =>
        (await store.members.listByOrg(org.id)).filter((m) => m.role === 'owner').map((m) => m.userId);

      const demotions = await Promise.allSettled([
        store.members.setRole(org.id, ada.id, 'admin'),
        store.members.setRole(org.id, bob.id, 'member'),
      ]);
      assert.deepEqual(demotions.map((d) => d.status).sort(), ['fulfilled', 'rejected']);
      const refused = demotions.find((d) => d.status === 'rejected') as PromiseRejectedResult;
      assert.ok(isAppError('CONFLICT')(refused.reason), String(refused.reason));
      assert.match(refused.reason.message, /last owner cannot be demoted/);
      const [last] = await owners();
      assert.equal((await owners()).length, 1);

      await assert.rejects(store.members.setRole(org.id, last, 'admin'), isAppError('CONFLICT'));
      await assert.rejects(store.members.remove(org.id, last), /last owner cannot be removed/);
      assert.equal((await store.members.get(org.id, last))?.role, 'owner', 'nothing changed');
      assert.equal((await store.members.setRole(org.id, last, 'owner'))?.role, 'owner');
      assert.equal((await store.members.setRole(org.id, carol.id, 'owner'))?.role, 'owner');
      assert.equal(await store.members.setRole(org.id, 999_999, 'member'), null);
      assert.equal(await store.members.remove(org.id, 999_999), false);

      const team = await store.teams.create({ orgId: org.id, slug: 'ops', name: 'Ops', now: T0 });
      await store.teams.addMember(team.id, last, T0);
      await store.teams.addMember(team.id, carol.id, T0);
      const removals = await Promise.allSettled([
        store.members.remove(org.id, last),
        store.members.remove(org.id, carol.id),
      ]);
      assert.deepEqual(removals.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      const [kept] = await owners();
      assert.deepEqual(await owners(), [kept]);
      assert.deepEqual(
        (await store.teams.memberIds([team.id])).get(team.id),
        [kept],
        'a refused removal keeps its team places; a done one takes them',
      );
    });

    test('teams.listByMembers: each user with the teams of that organisation they are on', async () => {
      const org = await newOrg();
      const other = await newOrg();
      const ada = await newUser({ orgId: org.id, role: 'owner' });
      const bob = await newUser({ orgId: org.id, role: 'member' });
      const loner = await newUser({ orgId: org.id, role: 'member' });
      const web = await store.teams.create({ orgId: org.id, slug: 'web', name: 'Web', now: T0 });
      const api = await store.teams.create({ orgId: org.id, slug: 'api', name: 'API', now: T0 });
      const elsewhere = await store.teams.create({ orgId: other.id, slug: 'x', name: 'X', now: T0 });
      for (const [team, user] of [
        [web, ada],
        [api, ada],
        [web, bob],
        [elsewhere, ada],
      ] as const) {
        await store.teams.addMember(team.id, user.id, T0);
      }
      const byMember = await store.teams.listByMembers(org.id, [ada.id, bob.id, loner.id]);
      assert.deepEqual(byMember.get(ada.id), [api, web]);
      assert.deepEqual(byMember.get(bob.id), [web]);
      assert.equal(byMember.has(loner.id), false);
      assert.deepEqual([...(await store.teams.listByMembers(org.id, [bob.id])).keys()], [bob.id]);
      assert.equal((await store.teams.listByMembers(org.id, [])).size, 0);
    });

    test('lists are in byte order of slug and email, whatever the database collation', async () => {
      if (backend.name === 'postgres') await collateByLocale(opened.url);
      const prefix = uniq('c');
      const slugs = [`${prefix}b`, `${prefix}-b`, `${prefix}1`, `${prefix}_b`, `${prefix}-c`];
      const byteOrder = [...slugs].sort();
      const user = await store.users.create({
        email: `${prefix}@example.com`,
        name: 'U',
        passwordHash: null,
        now: T0,
      });
      const orgs = [];
      for (const slug of slugs) {
        const org = await store.orgs.create({ slug, name: slug, now: T0 });
        await store.members.add({ orgId: org.id, userId: user.id, role: 'member', now: T0 });
        orgs.push(org);
      }
      assert.deepEqual(
        (await store.orgs.listForUser(user.id)).map((o) => o.slug),
        byteOrder,
      );
      const [org] = orgs;
      const teams = [];
      for (const slug of slugs) {
        await store.projects.create({ orgId: org.id, slug, name: slug, platform: null, now: T0 });
        teams.push(await store.teams.create({ orgId: org.id, slug, name: slug, now: T0 }));
      }
      const projects = await store.projects.listByOrg(org.id);
      assert.deepEqual(
        projects.map((p) => p.slug),
        byteOrder,
      );
      assert.deepEqual(
        (await store.teams.listByOrg(org.id)).map((t) => t.slug),
        byteOrder,
      );
      for (const team of teams) {
        await store.teams.addProject(team.id, projects[0].id);
        await store.teams.addMember(team.id, user.id, T0);
      }
      assert.deepEqual(
        (await store.teams.listByProjects([projects[0].id])).get(projects[0].id)?.map((t) => t.slug),
        byteOrder,
      );
      assert.deepEqual(
        (await store.teams.listByMembers(org.id, [user.id])).get(user.id)?.map((t) => t.slug),
        byteOrder,
      );
      for (const project of projects) await store.teams.addProject(teams[0].id, project.id);
      assert.deepEqual(
        (await store.teams.projects([teams[0].id])).get(teams[0].id)?.map((p) => p.slug),
        byteOrder,
      );
      const emails = slugs.map((slug) => `${slug}@example.com`);
      for (const email of emails) {
        const member = await store.users.create({ email, name: 'M', passwordHash: null, now: T0 });
        await store.members.add({ orgId: orgs[1].id, userId: member.id, role: 'member', now: T0 });
      }
      assert.deepEqual(
        (await store.members.listByOrg(orgs[1].id)).map((m) => m.user.email),
        [...emails, user.email].sort(),
      );
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

      const { project, key } = await store.projects.createWithKey({
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

    test('createWithKey is one transaction: a duplicate slug leaves no key and no link; the team is optional', async () => {
      const org = await newOrg();
      const team = await store.teams.create({ orgId: org.id, slug: 't', name: 'T', now: T0 });
      const first = await store.projects.createWithKey({
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
        store.projects.createWithKey({
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
      const teamless = await store.projects.createWithKey({
        orgId: org.id,
        slug: 'cli',
        name: 'CLI',
        platform: null,
        now: T0,
        key: { label: 'Default', publicKey, secretKey: hex() },
      });
      assert.deepEqual(await store.keys.listByProject(teamless.project.id), [teamless.key]);
      assert.equal((await store.teams.listByProjects([teamless.project.id])).size, 0);
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
