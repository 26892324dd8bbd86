import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { revokeToken } from '../src/auth/revoke-token.ts';
import { run } from './helpers/run.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const sentryCli = (args: string[], env: Record<string, string>) =>
  run('node_modules/.bin/sentry-cli', args, { env: { SENTRY_DISABLE_UPDATE_CHECK: 'true', ...env } });

/** The real `firebreak` CLI, on the running server's database. */
const firebreak = (t: TestServer, args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['bin/firebreak.js', ...args, '--database', t.server.ctx.config.databaseUrl], {
    env,
  });

describe('sentry-cli against the accounts API', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('an organisation token alone (no URL, no org) is enough for `info` and `projects list`', async () => {
    const setup = await t.setup();
    await t.setup(setup.org, 'api');
    const minted = await firebreak(t, [
      'token',
      'create',
      '--org',
      setup.org,
      '--kind',
      'org',
      '--public-url',
      t.url,
      '--json',
    ]);
    assert.equal(minted.code, 0, minted.stderr);
    const { id, token } = JSON.parse(minted.stdout);
    assert.match(token, /^sntrys_/);

    const info = await sentryCli(['info'], { SENTRY_AUTH_TOKEN: token });
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(`Sentry Server: ${t.url.replace(/\./g, '\\.')}`));
    assert.match(info.stdout, /org:ci/);
    const used = await t.server.ctx.store.tokens.getById(Number(id));
    assert.ok(used?.lastUsedAt, 'the server saw the token');

    const projects = await sentryCli(['projects', 'list'], { SENTRY_AUTH_TOKEN: token });
    assert.equal(projects.code, 0, projects.stderr);
    const org = await t.server.ctx.store.orgs.getBySlug(setup.org);
    const stored = await t.server.ctx.store.projects.listByOrg(org!.id);
    assert.deepEqual(
      stored.map((p) => p.slug),
      ['api', setup.project],
    );
    for (const project of stored) assert.match(projects.stdout, new RegExp(`\\b${project.slug}\\b`));
  });

  test("a user's token: `info` names the user, `organizations list` shows only the user's organisations", async () => {
    const mine = await t.setup();
    const other = await t.setup();
    const email = `cli-${mine.org}@example.com`;
    const created = await firebreak(
      t,
      ['user', 'create', '--email', email, '--name', 'Cli User', '--org', mine.org, '--role', 'admin'],
      {
        FIREBREAK_PASSWORD: 'a long enough password',
      },
    );
    assert.equal(created.code, 0, created.stderr);
    const minted = await firebreak(t, [
      'token',
      'create',
      '--user',
      email,
      '--scopes',
      'org:read,project:read',
      '--json',
    ]);
    assert.equal(minted.code, 0, minted.stderr);
    const { token } = JSON.parse(minted.stdout);
    const env = { SENTRY_AUTH_TOKEN: token, SENTRY_URL: t.url };

    const info = await sentryCli(['info'], env);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, new RegExp(email));
    assert.match(info.stdout, /org:read/);

    const orgs = await sentryCli(['organizations', 'list'], env);
    assert.equal(orgs.code, 0, orgs.stderr);
    assert.match(orgs.stdout, new RegExp(`\\b${mine.org}\\b`));
    assert.doesNotMatch(orgs.stdout, new RegExp(`\\b${other.org}\\b`));
    const user = await t.server.ctx.store.users.getByEmail(email);
    const memberOf = await t.server.ctx.store.orgs.listForUser(user!.id);
    assert.deepEqual(
      memberOf.map((o) => o.slug),
      [mine.org],
    );

    const projects = await sentryCli(['projects', 'list', '--org', mine.org], env);
    assert.equal(projects.code, 0, projects.stderr);
    assert.match(projects.stdout, new RegExp(`\\b${mine.project}\\b`));
    const foreign = await sentryCli(['projects', 'list', '--org', other.org], env);
    assert.notEqual(foreign.code, 0);
    assert.match(foreign.stderr, /not found/i);
  });

  test('a revoked token is refused', async () => {
    const setup = await t.setup();
    const token = await t.server.ctx.store.tokens.list({
      orgId: (await t.server.ctx.store.orgs.getBySlug(setup.org))!.id,
    });
    await revokeToken({ store: t.server.ctx.store, now: Date.now() }, String(token[0].id));
    const info = await sentryCli(['info'], { SENTRY_AUTH_TOKEN: setup.token, SENTRY_URL: t.url });
    assert.notEqual(info.code, 0);
    assert.match(info.stderr + info.stdout, /401|Invalid token/);
  });
});
