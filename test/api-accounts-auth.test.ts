import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createToken } from '../src/auth/create-token.ts';
import { authenticateBearer } from '../src/auth/principal.ts';
import { revokeToken } from '../src/auth/revoke-token.ts';
import { updateMember } from '../src/members/change-member.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { createUser } from '../src/users/create-user.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

async function api(base: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : (JSON.parse(text) as any) };
}

const ALL_READ_WRITE =
  'org:read,org:write,project:read,project:write,team:read,team:write,member:read,member:write,member:admin,event:read';

describe('accounts API: roles, scopes, isolation, revocation', () => {
  let t: TestServer;
  let a: SetupResult;
  let b: SetupResult;
  const tokens: Record<string, string> = {};
  const users: Record<string, string> = {};
  before(async () => {
    t = await startTestServer();
    a = await t.setup();
    b = await t.setup();
    const deps = { store: t.server.ctx.store, now: Date.now(), publicUrl: t.url };
    for (const role of ['owner', 'admin', 'member'] as const) {
      const email = `${role}-${a.org}@example.com`;
      users[role] = (
        await createUser(deps, { email, name: role, password: 'correct horse', org: a.org, role })
      ).id;
      tokens[role] = (await createToken(deps, { user: email, scopes: ALL_READ_WRITE })).token;
    }
    await createUser(deps, {
      email: `outsider-${a.org}@example.com`,
      name: 'Out',
      password: 'correct horse',
    });
    tokens.outsider = (
      await createToken(deps, { user: `outsider-${a.org}@example.com`, scopes: 'org:read' })
    ).token;
    tokens.narrowOwner = (
      await createToken(deps, { user: `owner-${a.org}@example.com`, scopes: 'org:read' })
    ).token;
    tokens.ci = (await createToken(deps, { org: a.org, kind: 'org' })).token;
  });
  after(() => t.close());

  const as = (who: string, method: string, path: string, body?: unknown) =>
    api(t.url, tokens[who] ?? who, method, path, body);

  test("a user's token is capped by the user's role: member reads, admin manages teams and projects", async () => {
    assert.equal((await as('member', 'GET', `/api/0/organizations/${a.org}/projects/`)).status, 200);
    const memberTeam = await as('member', 'POST', `/api/0/organizations/${a.org}/teams/`, {
      slug: 'by-member',
    });
    assert.equal(memberTeam.status, 403);
    assert.match(memberTeam.body.detail, /team:write/);
    const memberPut = await as('member', 'PUT', `/api/0/projects/${a.org}/${a.project}/`, { name: 'x' });
    assert.equal(memberPut.status, 403, 'the token has project:write, the member role does not');

    const adminTeam = await as('admin', 'POST', `/api/0/organizations/${a.org}/teams/`, { slug: 'by-admin' });
    assert.equal(adminTeam.status, 201);
    assert.deepEqual([adminTeam.body.isMember, adminTeam.body.memberCount], [true, 1], 'the creator joins');
    const project = await as('admin', 'POST', `/api/0/teams/${a.org}/by-admin/projects/`, {
      name: 'admin-app',
    });
    assert.equal(project.status, 201);
    assert.equal(project.body.isMember, true);
    assert.equal(
      (await as('admin', 'POST', `/api/0/organizations/${a.org}/members/`, { email: 'x@example.com' }))
        .status,
      403,
    );

    const detail = await as('member', 'GET', `/api/0/organizations/${a.org}/`);
    assert.equal(detail.body.orgRole, 'member');
    assert.ok(!detail.body.access.includes('project:write'));
    assert.ok(detail.body.access.includes('org:read'));
  });

  test('the token caps the role too: an owner token with only org:read cannot change a project', async () => {
    assert.equal((await as('narrowOwner', 'GET', `/api/0/organizations/${a.org}/projects/`)).status, 200);
    const put = await as('narrowOwner', 'PUT', `/api/0/projects/${a.org}/${a.project}/`, { name: 'x' });
    assert.equal(put.status, 403);
    assert.match(put.body.detail, /project:write/);
  });

  test('members: list, add with teams, change role, the last owner stays, removal ends access', async () => {
    const listed = await as('member', 'GET', `/api/0/organizations/${a.org}/members/`);
    assert.equal(listed.status, 200);
    const owner = listed.body.find((m: any) => m.role === 'owner');
    assert.deepEqual(
      [owner.id, owner.email, owner.roleName, owner.user.id, typeof owner.dateCreated],
      [users.owner, `owner-${a.org}@example.com`, 'Owner', users.owner, 'string'],
    );
    assert.equal('passwordHash' in owner.user, false);

    await as('owner', 'POST', `/api/0/organizations/${a.org}/teams/`, { slug: 'oncall' });
    const added = await as('owner', 'POST', `/api/0/organizations/${a.org}/members/`, {
      email: `outsider-${a.org}@example.com`,
      orgRole: 'member',
      teams: ['oncall'],
    });
    assert.equal(added.status, 201);
    assert.deepEqual(added.body.teams, ['oncall']);
    assert.equal((await as('outsider', 'GET', `/api/0/organizations/${a.org}/`)).status, 200);
    const again = await as('owner', 'POST', `/api/0/organizations/${a.org}/members/`, {
      email: `outsider-${a.org}@example.com`,
    });
    assert.equal(again.status, 409);
    const unknown = await as('owner', 'POST', `/api/0/organizations/${a.org}/members/`, {
      email: 'nobody@example.com',
    });
    assert.equal(unknown.status, 404);

    const demote = await as('owner', 'PUT', `/api/0/organizations/${a.org}/members/${users.owner}/`, {
      orgRole: 'admin',
    });
    assert.equal(demote.status, 409);
    assert.match(demote.body.detail, /last owner/);
    const promoted = await as('owner', 'PUT', `/api/0/organizations/${a.org}/members/${users.admin}/`, {
      orgRole: 'owner',
    });
    assert.equal(promoted.body.role, 'owner');
    await as('owner', 'PUT', `/api/0/organizations/${a.org}/members/${users.admin}/`, { orgRole: 'admin' });

    const outsiderId = added.body.id;
    assert.equal(
      (await as('owner', 'DELETE', `/api/0/organizations/${a.org}/members/${outsiderId}/`)).status,
      204,
    );
    assert.equal((await as('outsider', 'GET', `/api/0/organizations/${a.org}/`)).status, 404);
    const me = await as('member', 'POST', `/api/0/organizations/${a.org}/members/me/teams/oncall/`);
    assert.equal(me.status, 201, 'members may join a team themselves');
    assert.deepEqual(me.body.teams, ['oncall']);
    const other = await as(
      'member',
      'POST',
      `/api/0/organizations/${a.org}/members/${users.admin}/teams/oncall/`,
    );
    assert.equal(other.status, 403);
    // Managing members is not managing teams: moving someone else takes team:write.
    const deps = { store: t.server.ctx.store, now: Date.now(), publicUrl: t.url };
    const memberManager = (await createToken(deps, { org: a.org, scopes: 'member:write,member:admin' }))
      .token;
    const moved = await as(
      memberManager,
      'POST',
      `/api/0/organizations/${a.org}/members/${users.admin}/teams/oncall/`,
    );
    assert.equal(moved.status, 403, JSON.stringify(moved.body));
    assert.match(moved.body.detail, /team:write/);
  });

  test('owners are made and unmade only with member:admin; users of other organisations cannot be found by email', async () => {
    const deps = { store: t.server.ctx.store, now: Date.now(), publicUrl: t.url };
    const manager = (await createToken(deps, { org: a.org, scopes: 'member:read,member:write' })).token;
    const promote = await as(manager, 'PUT', `/api/0/organizations/${a.org}/members/${users.member}/`, {
      orgRole: 'owner',
    });
    assert.equal(promote.status, 403, JSON.stringify(promote.body));
    assert.match(promote.body.detail, /member:admin/);
    const demoteOwner = await as(manager, 'PUT', `/api/0/organizations/${a.org}/members/${users.owner}/`, {
      orgRole: 'member',
    });
    assert.equal(demoteOwner.status, 403);
    const toAdmin = await as(manager, 'PUT', `/api/0/organizations/${a.org}/members/${users.member}/`, {
      orgRole: 'admin',
    });
    assert.equal(toAdmin.body.role, 'admin', 'below owner, member:write is enough');
    await as(manager, 'PUT', `/api/0/organizations/${a.org}/members/${users.member}/`, { orgRole: 'member' });

    const loner = `loner-${a.org}@example.com`;
    await createUser(deps, { email: loner, name: 'Loner', password: 'correct horse' });
    const asOwner = await as(manager, 'POST', `/api/0/organizations/${a.org}/members/`, {
      email: loner,
      orgRole: 'owner',
    });
    assert.equal(asOwner.status, 403);
    const added = await as(manager, 'POST', `/api/0/organizations/${a.org}/members/`, { email: loner });
    assert.equal(added.status, 201, 'a user in no organisation yet can be added');

    // B's owner is a user of B only: to A's managers that email is as unknown as a missing one.
    const bOwner = `b-owner-${b.org}@example.com`;
    await createUser(deps, {
      email: bOwner,
      name: 'Bo',
      password: 'correct horse',
      org: b.org,
      role: 'owner',
    });
    const theirs = await as('owner', 'POST', `/api/0/organizations/${a.org}/members/`, { email: bOwner });
    const missing = await as('owner', 'POST', `/api/0/organizations/${a.org}/members/`, {
      email: `nobody-${b.org}@example.com`,
    });
    assert.deepEqual(
      [theirs.status, theirs.body.detail.replace(bOwner, 'E')],
      [missing.status, missing.body.detail.replace(`nobody-${b.org}@example.com`, 'E')],
    );
    assert.equal(theirs.status, 404);

    // A's owner also belongs to B; a token of theirs bound to A sees through A alone, so it can
    // neither pull B's owner into A nor tell B's members from missing users.
    const store = t.server.ctx.store;
    const bOrg = await store.orgs.getBySlug(b.org);
    await store.members.add({
      orgId: bOrg!.id,
      userId: Number(users.owner),
      role: 'member',
      now: Date.now(),
    });
    const boundToA = (
      await createToken(deps, { user: `owner-${a.org}@example.com`, org: a.org, scopes: ALL_READ_WRITE })
    ).token;
    const pulled = await as(boundToA, 'POST', `/api/0/organizations/${a.org}/members/`, { email: bOwner });
    assert.equal(pulled.status, 404, JSON.stringify(pulled.body));
    const unbound = await as('owner', 'POST', `/api/0/organizations/${a.org}/members/`, { email: bOwner });
    assert.equal(unbound.status, 201, "the user's own token sees the organisations the user is in");
  });

  test("isolation: another organisation's resources are 404, exactly like missing ones", async () => {
    const missing = await as(b.token, 'GET', '/api/0/organizations/no-such-org/');
    for (const path of [
      `/api/0/organizations/${a.org}/`,
      `/api/0/organizations/${a.org}/projects/`,
      `/api/0/organizations/${a.org}/teams/`,
      `/api/0/organizations/${a.org}/members/`,
      `/api/0/projects/${a.org}/${a.project}/`,
      `/api/0/projects/${a.org}/${a.project}/keys/`,
    ]) {
      const res = await as(b.token, 'GET', path);
      assert.deepEqual([res.status, res.body], [missing.status, missing.body], path);
    }
    assert.equal(missing.status, 404);
    // By id through its own org slug, org A's project is simply not there.
    assert.equal((await as(b.token, 'GET', `/api/0/projects/${b.org}/${a.projectId}/`)).status, 404);
    assert.equal((await as('outsider', 'GET', `/api/0/organizations/${b.org}/`)).status, 404);
    const orgs = await as(b.token, 'GET', '/api/0/organizations/');
    assert.deepEqual(
      orgs.body.map((o: any) => o.slug),
      [b.org],
    );
  });

  test('an organisation token (sntrys_, org:ci) lists projects but reads no keys, issues or members, and writes nothing else', async () => {
    assert.match(tokens.ci, /^sntrys_/);
    const claims = JSON.parse(Buffer.from(tokens.ci.split('_')[1], 'base64').toString());
    assert.deepEqual([claims.url, claims.org], [t.url, a.org]);
    const info = await as('ci', 'GET', '/api/0/');
    assert.deepEqual([info.body.user, info.body.auth.scopes], [null, ['org:ci']]);
    assert.equal((await as('ci', 'GET', `/api/0/organizations/${a.org}/projects/`)).status, 200);
    assert.equal((await as('ci', 'GET', `/api/0/organizations/${a.org}/releases/`)).status, 200);
    // org:ci is releases, deploys and repos (reference §5.4): DSN secrets stay out of CI's reach.
    const publicKey = new URL(a.dsn).username;
    for (const path of [
      `/api/0/projects/${a.org}/${a.project}/keys/`,
      `/api/0/projects/${a.org}/${a.project}/keys/${publicKey}/`,
      `/api/0/projects/${a.org}/${a.project}/`,
      `/api/0/projects/${a.org}/${a.project}/teams/`,
    ]) {
      const denied = await as('ci', 'GET', path);
      assert.equal(denied.status, 403, path);
      assert.match(denied.body.detail, /project:read/, path);
      assert.doesNotMatch(JSON.stringify(denied.body), new RegExp(publicKey));
    }
    assert.equal((await as('ci', 'GET', `/api/0/projects/${a.org}/${a.project}/issues/`)).status, 403);
    assert.equal((await as('ci', 'GET', `/api/0/organizations/${a.org}/members/`)).status, 403);
    assert.equal(
      (await as('ci', 'POST', `/api/0/organizations/${a.org}/teams/`, { slug: 'ci-team' })).status,
      403,
    );
    assert.equal((await as('ci', 'GET', `/api/0/organizations/${b.org}/`)).status, 404);
  });

  test('a DSN key as a Bearer token reads nothing; a revoked token gets 401', async () => {
    const publicKey = new URL(a.dsn).username;
    const dsnAsToken = await as(publicKey, 'GET', `/api/0/organizations/${a.org}/projects/`);
    assert.equal(dsnAsToken.status, 401);
    assert.equal(dsnAsToken.body.detail, 'Invalid token');
    const deps = { store: t.server.ctx.store, now: Date.now(), publicUrl: t.url };
    const victim = await createToken(deps, { org: a.org, scopes: 'org:read' });
    assert.equal((await as(victim.token, 'GET', '/api/0/organizations/')).status, 200);
    await revokeToken(deps, victim.id);
    const revoked = await as(victim.token, 'GET', '/api/0/organizations/');
    assert.deepEqual([revoked.status, revoked.body.detail], [401, 'Invalid token']);
  });

  test('demoting both owners at once: one wins, the organisation keeps an owner (409)', async () => {
    const c = await t.setup();
    const deps = { store: t.server.ctx.store, now: Date.now(), publicUrl: t.url };
    const ids: string[] = [];
    for (const name of ['first', 'second']) {
      const email = `${name}-${c.org}@example.com`;
      ids.push(
        (await createUser(deps, { email, name, password: 'correct horse', org: c.org, role: 'owner' })).id,
      );
    }
    // Both demotions pass their checks before either writes (the setup token has no user, so no
    // role to lose): only the store's conditional write can keep an owner.
    const principal = await authenticateBearer(t.server.ctx, `Bearer ${c.token}`);
    const members = `/api/0/organizations/${c.org}/members/`;
    const answers = await Promise.allSettled(
      ids.map((memberId) =>
        updateMember(
          t.server.ctx,
          { ...principal, demanded: [] },
          { org: c.org, memberId, body: { orgRole: 'member' } },
        ),
      ),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), ['fulfilled', 'rejected']);
    const refused = answers.findIndex((a) => a.status === 'rejected');
    assert.match(
      String((answers[refused] as PromiseRejectedResult).reason),
      /the last owner cannot be demoted/,
    );
    const owner = ids[refused];
    const listed = await as(c.token, 'GET', members);
    assert.deepEqual(
      listed.body.filter((m: any) => m.role === 'owner').map((m: any) => m.id),
      [owner],
    );
    const removed = await as(c.token, 'DELETE', `${members}${owner}/`);
    assert.deepEqual([removed.status, removed.body.detail], [409, 'the last owner cannot be removed']);
    assert.equal((await as(c.token, 'DELETE', `${members}${ids.find((id) => id !== owner)}/`)).status, 204);
  });

  test('GET /api/0/ without credentials is 200 with user and auth null, as in Sentry; a bad token is 401', async () => {
    const anonymous = await fetch(`${t.url}/api/0/`);
    assert.equal(anonymous.status, 200);
    assert.match(anonymous.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await anonymous.json(), { version: '0', user: null, auth: null });
    const bad = await as(`sntryu_${'0'.repeat(64)}`, 'GET', '/api/0/');
    assert.deepEqual([bad.status, bad.body.detail], [401, 'Invalid token']);
    const notBearer = await fetch(`${t.url}/api/0/`, { headers: { Authorization: 'Basic eDp5' } });
    assert.equal(notBearer.status, 401);
    assert.equal((await fetch(`${t.url}/api/0/auth/`)).status, 401, 'only the index is anonymous');
  });

  test('GET /api/0/ and /api/0/auth/ (sentry-cli info, MCP whoami) for user and non-user tokens', async () => {
    const root = await as('member', 'GET', '/api/0/');
    assert.deepEqual(
      [root.body.user.id, root.body.user.email],
      [users.member, `member-${a.org}@example.com`],
    );
    assert.deepEqual(root.body.auth.scopes, ALL_READ_WRITE.split(','));
    const auth = await as('member', 'GET', '/api/0/auth/');
    assert.deepEqual(
      [auth.body.id, auth.body.name, auth.body.email],
      [users.member, 'member', `member-${a.org}@example.com`],
    );
    const setup = await as(a.token, 'GET', '/api/0/auth/');
    assert.match(setup.body.id, /^token:\d+$/);
    assert.equal(typeof setup.body.email, 'string');
    assert.deepEqual((await as(a.token, 'GET', '/api/0/users/me/regions/')).body, { regions: [] });
  });
});
