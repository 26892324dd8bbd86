import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateUserToken, hashToken, tokenPrefix } from '../src/auth/tokens.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { REPO_ROOT, run, runSdkApp } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

const SENTRY_CLI = join(REPO_ROOT, 'node_modules/.bin/sentry-cli');
const ROUTES_FILE = 'test/fixtures/apps/sdk-app-routes.mjs';

let t: TestServer;
let s: SetupResult;
let repo: string;
before(async () => {
  t = await startTestServer();
  s = await t.setup();
  repo = mkdtempSync(join(tmpdir(), 'firebreak-git-'));
});
after(async () => {
  await t.close();
  rmSync(repo, { recursive: true, force: true });
});

const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

async function git(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await run('git', args, { cwd: repo, env: { ...GIT_ENV, ...env } });
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

/** Commits the given files as the author; returns the new commit's hash. */
async function commitFiles(message: string, author: string, files: Record<string, string | null>) {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) await git(['rm', '-q', path]);
    else {
      mkdirSync(dirname(join(repo, path)), { recursive: true });
      writeFileSync(join(repo, path), content);
      await git(['add', path]);
    }
  }
  const [name, email] = author.split(' <');
  await git([
    '-c',
    `user.name=${name}`,
    '-c',
    `user.email=${email.slice(0, -1)}`,
    'commit',
    '-q',
    '-m',
    message,
  ]);
  return git(['rev-parse', 'HEAD']);
}

function sentryCli(args: string[], token = s.token) {
  return run(SENTRY_CLI, args, {
    cwd: repo,
    env: {
      ...GIT_ENV,
      SENTRY_DISABLE_UPDATE_CHECK: 'true',
      SENTRY_URL: t.url,
      SENTRY_AUTH_TOKEN: token,
      SENTRY_ORG: s.org,
      SENTRY_PROJECT: s.project,
    },
  });
}

async function ok(args: string[], token?: string) {
  const result = await sentryCli(args, token);
  assert.equal(result.code, 0, `sentry-cli ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return result.stdout + result.stderr;
}

const get = (path: string) => apiGet(t.url, s.token, `/api/0/organizations/${s.org}${path}`);
const storedCommits = async (version: string) => {
  const org = await t.server.ctx.store.orgs.getBySlug(s.org);
  const release = await t.server.ctx.store.releases.get(org!.id, version);
  return t.server.ctx.store.releases.commits(release!.id, { limit: 100, offset: 0, withFiles: true });
};

describe('sentry-cli 3.8.0: releases, commits and deploys', () => {
  const shas: string[] = [];
  before(async () => {
    await git(['init', '-q', '-b', 'main']);
    await git(['remote', 'add', 'origin', 'https://github.com/acme/web.git']);
    shas.push(
      await commitFiles('add users route', 'Bob <bob@example.com>', { 'src/routes/users.js': 'a\n' }),
    );
    shas.push(
      await commitFiles('fix users, add app', 'Jane Dev <jane@example.com>', {
        'src/routes/users.js': 'b\n',
        'src/app.js': 'app\n',
      }),
    );
    shas.push(
      await commitFiles('guard empty carts', 'Jane Dev <jane@example.com>', {
        [ROUTES_FILE]: 'routes\n',
        'src/app.js': null,
      }),
    );
  });

  test('releases new creates the release for the project; running it again is fine', async () => {
    assert.match(await ok(['releases', 'new', 'web@1.0.0']), /Created release web@1\.0\.0/);
    const release = await get('/releases/web@1.0.0/');
    assert.equal(release.status, 200);
    assert.deepEqual(
      release.body.projects.map((p: any) => p.slug),
      [s.project],
    );
    assert.equal(release.body.dateReleased, null);
    await ok(['releases', 'new', 'web@1.0.0']);
    assert.equal((await get('/releases/')).body.length, 1);
  });

  test('releases set-commits --local uploads the git log with each commit’s changed files', async () => {
    assert.match(await ok(['releases', 'set-commits', 'web@1.0.0', '--local']), /Set commits for release/);
    const commits = await storedCommits('web@1.0.0');
    assert.deepEqual(
      commits.map((c) => [c.sha, c.message, c.authorEmail, c.repository.name]),
      [
        [shas[2], 'guard empty carts\n', 'jane@example.com', 'origin'],
        [shas[1], 'fix users, add app\n', 'jane@example.com', 'origin'],
        [shas[0], 'add users route\n', 'bob@example.com', 'origin'],
      ],
    );
    assert.deepEqual(commits[0].files, [
      { path: 'src/app.js', type: 'D' },
      { path: ROUTES_FILE, type: 'A' },
    ]);
    assert.deepEqual(commits[1].files, [
      { path: 'src/app.js', type: 'A' },
      { path: 'src/routes/users.js', type: 'M' },
    ]);
    const release = await get('/releases/web@1.0.0/');
    assert.equal(release.body.commitCount, 3);
    assert.equal(release.body.lastCommit.id, shas[2]);
    assert.deepEqual(
      release.body.authors.map((a: any) => a.email),
      ['jane@example.com', 'bob@example.com'],
    );
    assert.deepEqual(
      (await get('/repos/')).body.map((r: any) => r.name),
      ['origin'],
    );
  });

  test('releases finalize sets the release date', async () => {
    assert.match(await ok(['releases', 'finalize', 'web@1.0.0']), /Finalized release web@1\.0\.0/);
    const release = await get('/releases/web@1.0.0/');
    assert.ok(Date.parse(release.body.dateReleased) > Date.now() - 60_000, release.body.dateReleased);
  });

  test('deploys new records the deploy and the environment; deploys list and releases list show them', async () => {
    const output = await ok(['deploys', 'new', '-r', 'web@1.0.0', '-e', 'production', '-n', 'deploy 1']);
    assert.match(output, /Created new deploy deploy 1 for 'production'/);
    const deploys = await get('/releases/web@1.0.0/deploys/');
    assert.deepEqual(
      deploys.body.map((d: any) => [d.environment, d.name]),
      [['production', 'deploy 1']],
    );
    const release = await get('/releases/web@1.0.0/');
    assert.equal(release.body.deployCount, 1);
    assert.equal(release.body.lastDeploy.environment, 'production');
    assert.deepEqual(await t.server.ctx.store.environments.listByProject(Number(s.projectId)), [
      'production',
    ]);
    assert.match(await ok(['deploys', 'list', '-r', 'web@1.0.0']), /production\s*\|\s*deploy 1/);
    assert.match(await ok(['releases', 'list']), /web@1\.0\.0/);
  });

  test('the next release: set-commits --auto sends only the commits after the previous release', async () => {
    const fourth = await commitFiles('speed up users', 'Bob <bob@example.com>', {
      'src/routes/users.js': 'c\n',
    });
    await ok(['releases', 'new', 'web@1.1.0']);
    // No repository integration: --auto falls back to the local git log, from previous-with-commits.
    await ok(['releases', 'set-commits', 'web@1.1.0', '--auto']);
    assert.deepEqual(
      (await storedCommits('web@1.1.0')).map((c) => c.sha),
      [fourth],
    );
    const previous = await get('/releases/web@1.1.0/previous-with-commits/');
    assert.equal(previous.body.version, 'web@1.0.0');
  });

  test('set-commits --commit REPO@SHA (refs, once the repository is known) and --clear', async () => {
    await ok(['releases', 'new', 'web@1.2.0']);
    await ok(['releases', 'set-commits', 'web@1.2.0', '--commit', `origin@${shas[1]}`]);
    const [head] = await storedCommits('web@1.2.0');
    assert.equal(head.sha, shas[1]);
    assert.equal(head.message, 'fix users, add app\n', 'the head commit keeps what --local recorded');
    await ok(['releases', 'set-commits', 'web@1.2.0', '--clear']);
    assert.equal((await get('/releases/web@1.2.0/')).body.commitCount, 0);
    const unknown = await sentryCli(['releases', 'set-commits', 'web@1.2.0', '--commit', 'acme/nope@abc']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /Unknown repo/);
  });

  test("an event's suspect commit is the --local commit that changed its in-app frame's file", async () => {
    const ids = await runSdkApp('paths', { SENTRY_DSN: s.dsn, SENTRY_RELEASE: 'web@1.0.0' });
    const res = await apiGet(
      t.url,
      s.token,
      `/api/0/projects/${s.org}/${s.project}/events/${ids.checkout[0]}/committers/`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.committers.map((c: any) => [c.author.email, c.commits.map((commit: any) => commit.id)]),
      [['jane@example.com', [shas[2]]]],
    );
  });

  test('releases archive hides a release from the list; releases restore brings it back', async () => {
    await ok(['releases', 'new', 'old@0.1.0']);
    await ok(['releases', 'archive', 'old@0.1.0']);
    assert.equal((await get('/releases/old@0.1.0/')).body.status, 'archived');
    const open = (await get('/releases/')).body.map((r: any) => r.version);
    assert.ok(!open.includes('old@0.1.0') && open.includes('web@1.0.0'), open.join());
    assert.deepEqual(
      (await get('/releases/?status=archived')).body.map((r: any) => r.version),
      ['old@0.1.0'],
    );
    await ok(['releases', 'restore', 'old@0.1.0']);
    assert.equal((await get('/releases/old@0.1.0/')).body.status, 'open');
  });

  test('an org:ci token can create, finalize and deploy; a token without release scopes cannot', async () => {
    const token = async (scopes: string[]) => {
      const value = generateUserToken();
      const org = await t.server.ctx.store.orgs.getBySlug(s.org);
      await t.server.ctx.store.tokens.create({
        kind: 'user',
        orgId: org!.id,
        userId: null,
        name: 'ci',
        scopes,
        tokenHash: hashToken(value),
        tokenPrefix: tokenPrefix(value),
        createdAt: Date.now(),
      });
      return value;
    };
    const ci = await token(['org:ci']);
    await ok(['releases', 'new', 'ci@1'], ci);
    await ok(['releases', 'finalize', 'ci@1'], ci);
    await ok(['deploys', 'new', '-r', 'ci@1', '-e', 'staging'], ci);
    assert.equal((await get('/releases/ci@1/')).body.deployCount, 1);

    const readOnly = await token(['event:read']);
    const refused = await sentryCli(['releases', 'new', 'ci@2'], readOnly);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /permission/i);
    assert.equal((await get('/releases/ci@2/')).status, 404);
  });
});
