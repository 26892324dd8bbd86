import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { verifyPassword } from '../src/auth/passwords.ts';
import { hashToken } from '../src/auth/tokens.ts';
import { loadConfig } from '../src/config/config.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { REPO_ROOT, run } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

describe('firebreak user / token commands', () => {
  let t: TestServer;
  let a: SetupResult;
  before(async () => {
    t = await startTestServer();
    a = await t.setup();
  });
  after(() => t.close());

  const firebreak = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, ['bin/firebreak.js', ...args, '--database', t.server.ctx.config.databaseUrl], {
      env,
    });

  /** Runs `firebreak` with `input` on stdin (the other way to hand over a password). */
  const firebreakWithStdin = (args: string[], input: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['bin/firebreak.js', ...args, '--database', t.server.ctx.config.databaseUrl],
        {
          cwd: REPO_ROOT,
          env: { PATH: process.env.PATH ?? '' },
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(input);
    });

  test('user create: password from FIREBREAK_PASSWORD, stored as a verifiable scrypt hash, never printed', async () => {
    const email = `ada-${a.org}@example.com`;
    const password = 'correct horse battery';
    const result = await firebreak(
      ['user', 'create', '--email', email, '--name', 'Ada', '--org', a.org, '--role', 'owner', '--json'],
      {
        FIREBREAK_PASSWORD: password,
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout + result.stderr, /horse/);
    const printed = JSON.parse(result.stdout);
    assert.deepEqual([printed.email, printed.org, printed.role], [email, a.org, 'owner']);
    const user = await t.server.ctx.store.users.getById(Number(printed.id));
    assert.match(user?.passwordHash ?? '', /^scrypt\$32768\$8\$1\$[^$]+\$[^$]+$/);
    assert.equal(await verifyPassword(password, user!.passwordHash), true);
    assert.equal(await verifyPassword('wrong horse battery', user!.passwordHash), false);
    const org = await t.server.ctx.store.orgs.getBySlug(a.org);
    assert.equal((await t.server.ctx.store.members.get(org!.id, user!.id))?.role, 'owner');

    const twin = await firebreak(['user', 'create', '--email', email, '--name', 'Twin'], {
      FIREBREAK_PASSWORD: password,
    });
    assert.equal(twin.code, 5, 'a duplicate email is a conflict');
    assert.match(twin.stderr, /already exists/);
  });

  test('FIREBREAK_PASSWORD is a config setting, read once with the others (an empty one is unset)', () => {
    assert.equal(
      loadConfig({}, { FIREBREAK_PASSWORD: 'correct horse battery' }).password,
      'correct horse battery',
    );
    assert.equal(loadConfig({}, { FIREBREAK_PASSWORD: '' }).password, undefined);
    assert.equal(loadConfig({}, {}).password, undefined);
  });

  test('user create: password from stdin; a missing or short password and bad flags are usage errors', async () => {
    const email = `bob-${a.org}@example.com`;
    const piped = await firebreakWithStdin(
      ['user', 'create', '--email', email, '--name', 'Bob'],
      'piped password\n',
    );
    assert.equal(piped.code, 0, piped.stderr);
    const user = await t.server.ctx.store.users.getByEmail(email);
    assert.equal(piped.stdout.trim(), String(user?.id));
    assert.equal(await verifyPassword('piped password', user!.passwordHash), true);

    const none = await firebreak(['user', 'create', '--email', `c-${email}`, '--name', 'C']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /FIREBREAK_PASSWORD/);
    const short = await firebreak(['user', 'create', '--email', `d-${email}`, '--name', 'D'], {
      FIREBREAK_PASSWORD: 'short',
    });
    assert.equal(short.code, 2);
    assert.match(short.stderr, /8 characters/);
    const roleOnly = await firebreak(
      ['user', 'create', '--email', `e-${email}`, '--name', 'E', '--role', 'admin'],
      {
        FIREBREAK_PASSWORD: 'long enough',
      },
    );
    assert.equal(roleOnly.code, 2);
    const noOrg = await firebreak(
      ['user', 'create', '--email', `f-${email}`, '--name', 'F', '--org', 'no-such-org'],
      {
        FIREBREAK_PASSWORD: 'long enough',
      },
    );
    assert.equal(noOrg.code, 3);
    assert.equal(await t.server.ctx.store.users.getByEmail(`f-${email}`), null);
  });

  test('user add: an existing user joins another organisation, audited; unknown user or org, or twice, fail', async () => {
    const email = `gus-${a.org}@example.com`;
    const made = await firebreak(['user', 'create', '--email', email, '--name', 'Gus', '--org', a.org], {
      FIREBREAK_PASSWORD: 'long enough',
    });
    assert.equal(made.code, 0, made.stderr);
    const other = await t.setup();
    const added = await firebreak([
      'user',
      'add',
      '--email',
      email,
      '--org',
      other.org,
      '--role',
      'admin',
      '--json',
    ]);
    assert.equal(added.code, 0, added.stderr);
    assert.deepEqual([JSON.parse(added.stdout).org, JSON.parse(added.stdout).role], [other.org, 'admin']);
    const store = t.server.ctx.store;
    const org = await store.orgs.getBySlug(other.org);
    const user = await store.users.getByEmail(email);
    assert.equal((await store.members.get(org!.id, user!.id))?.role, 'admin');
    const [row] = await store.audit.list(org!.id, { limit: 1 });
    assert.deepEqual([row.action, row.actor], ['member.add', 'system']);
    const twice = await firebreak(['user', 'add', '--email', email, '--org', other.org]);
    assert.deepEqual([twice.code, twice.stderr.trim()], [5, 'firebreak: membership already exists']);
    assert.equal(
      (await firebreak(['user', 'add', '--email', `nobody-${email}`, '--org', other.org])).code,
      3,
    );
    assert.equal((await firebreak(['user', 'add', '--email', email, '--org', 'no-such-org'])).code, 3);
    const usage = await firebreak(['user', 'add', '--email', email]);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--org are required/);
  });

  test('token create: unknown scopes are refused (exit 2) and nothing is stored', async () => {
    const org = await t.server.ctx.store.orgs.getBySlug(a.org);
    const before = (await t.server.ctx.store.tokens.list({ orgId: org!.id })).length;
    const bad = await firebreak(['token', 'create', '--org', a.org, '--scopes', 'org:read,project:destroy']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown scope project:destroy/);
    const orgKind = await firebreak([
      'token',
      'create',
      '--org',
      a.org,
      '--kind',
      'org',
      '--scopes',
      'event:read',
    ]);
    assert.equal(orgKind.code, 2);
    assert.match(orgKind.stderr, /org:ci/);
    const noScopes = await firebreak(['token', 'create', '--org', a.org]);
    assert.equal(noScopes.code, 2);
    assert.equal((await t.server.ctx.store.tokens.list({ orgId: org!.id })).length, before);
  });

  test('token create prints the token once, stores only its hash; list shows the prefix; revoke by prefix → 401', async () => {
    const created = await firebreak([
      'token',
      'create',
      '--org',
      a.org,
      '--scopes',
      'org:read project:read',
      '--name',
      'reader',
    ]);
    assert.equal(created.code, 0, created.stderr);
    const token = /token:\s+(sntryu_[0-9a-f]{64})/.exec(created.stdout)?.[1];
    assert.ok(token, created.stdout);
    const stored = await t.server.ctx.store.tokens.getByHash(hashToken(token));
    assert.deepEqual([stored?.name, stored?.scopes], ['reader', ['org:read', 'project:read']]);
    assert.equal(JSON.stringify(stored).includes(token), false);
    assert.equal((await apiGet(t.url, token, `/api/0/organizations/${a.org}/projects/`)).status, 200);

    const listed = await firebreak(['token', 'list', '--org', a.org]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`${stored!.id}\\tuser\\t${token.slice(0, 12)}\\treader`));
    assert.doesNotMatch(listed.stdout, new RegExp(token));

    const revoked = await firebreak(['token', 'revoke', token.slice(0, 12)]);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await apiGet(t.url, token, `/api/0/organizations/${a.org}/projects/`)).status, 401);
    const again = await firebreak(['token', 'revoke', String(stored!.id)]);
    assert.equal(again.code, 3);
  });

  test("token create --user: a user token within the user's organisations; not for organisations the user is not in", async () => {
    const email = `carol-${a.org}@example.com`;
    await firebreak(['user', 'create', '--email', email, '--name', 'Carol', '--org', a.org], {
      FIREBREAK_PASSWORD: 'long enough',
    });
    const other = await t.setup();
    const outside = await firebreak([
      'token',
      'create',
      '--user',
      email,
      '--org',
      other.org,
      '--scopes',
      'org:read',
    ]);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /not a member/);
    const minted = await firebreak(['token', 'create', '--user', email, '--scopes', 'org:read', '--json']);
    const { token } = JSON.parse(minted.stdout);
    const orgs = await apiGet(t.url, token, '/api/0/organizations/');
    assert.deepEqual(
      orgs.body.map((o: any) => o.slug),
      [a.org],
    );
  });
});
