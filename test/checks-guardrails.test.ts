import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createToken } from '../src/auth/create-token.ts';
import { CHECK_OUTPUT_JSON_SCHEMA } from '../src/checks/schemas.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { createUser } from '../src/users/create-user.ts';
import { validateJsonSchema } from './helpers/check-json-schema.ts';
import { closedPort, type RecordingProxy, startRecordingProxy } from './helpers/check-proxy.ts';
import { copyFixtureRepo, sentryCli } from './helpers/check-repo.ts';
import { checkOf, runCheck } from './helpers/check-run.ts';
import { run, runSdkApp } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

/** Every file's content hash under a directory: proof the checks changed nothing in the repository. */
function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) visit(path);
      else out[path] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  visit(dir);
  return out;
}

describe('firebreak check guardrails: read-only, secrets masked, network down, slug discovery', () => {
  let t: TestServer;
  let s: SetupResult;
  let proxy: RecordingProxy;
  let repo: string;
  let stateDir: string;
  let dsnViaProxy: string;
  const outputs: string[] = [];
  const env = () => ({ FIREBREAK_TOKEN: s.token, SENTRY_DSN: dsnViaProxy });

  before(async () => {
    t = await startTestServer();
    s = await t.setup();
    await runSdkApp('paths', { SENTRY_DSN: s.dsn, SENTRY_RELEASE: 'web@1.4.0' });
    proxy = await startRecordingProxy(t.url);
    const dsn = new URL(s.dsn);
    dsn.host = new URL(proxy.url).host;
    dsnViaProxy = dsn.toString();
    repo = copyFixtureRepo('wired-node');
    stateDir = mkdtempSync(join(tmpdir(), 'firebreak-check-state-'));
  });
  after(async () => {
    await proxy.close();
    await t.close();
    rmSync(repo, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  });

  test('no mode sends anything but GET; the repository and the issues are left as they were', async () => {
    const issuesBefore = (
      await apiGet(t.url, s.token, `/api/0/projects/${s.org}/${s.project}/issues/?query=`)
    ).body;
    const filesBefore = snapshotTree(repo);
    proxy.requests.length = 0;
    const common = ['--url', proxy.url, '--repo-root', repo, '--release', 'web@1.4.0'];
    for (const mode of [
      'setup-preflight',
      'local-smoke',
      'prod-health',
      'release-gate',
      'issue-triage',
      'verify-loop',
      'all',
    ]) {
      for (const json of [[], ['--json']]) {
        const result = await runCheck(
          ['--mode', mode, ...common, '--state-file', join(stateDir, 'state.json'), ...json],
          env(),
        );
        outputs.push(result.out, result.err);
      }
    }
    assert.ok(proxy.requests.length > 20, 'the API modes went through the proxy');
    assert.deepEqual(
      proxy.requests.filter((r) => r.method !== 'GET'),
      [],
    );
    const paths = new Set(proxy.requests.map((r) => r.path.replace(/\/[^/]*@[^/]*\//, '/{version}/')));
    for (const path of paths) assert.match(path, /^\/api\/0\//, 'only the Web API was read');
    assert.deepEqual(snapshotTree(repo), filesBefore);
    const issuesAfter = (await apiGet(t.url, s.token, `/api/0/projects/${s.org}/${s.project}/issues/?query=`))
      .body;
    assert.deepEqual(
      issuesAfter.map((i: any) => [i.id, i.status, i.substatus, i.assignedTo]),
      issuesBefore.map((i: any) => [i.id, i.status, i.substatus, i.assignedTo]),
    );
  });

  test('local-smoke --send-test-event writes exactly one thing: a POST to the ingest endpoint', async () => {
    proxy.requests.length = 0;
    const result = await runCheck(['--mode', 'local-smoke', '--url', proxy.url, '--send-test-event'], env());
    outputs.push(result.out);
    assert.match(result.out, /^Status: PASS/, result.out);
    assert.deepEqual(
      proxy.requests.filter((r) => r.method !== 'GET'),
      [{ method: 'POST', path: `/api/${s.projectId}/envelope/` }],
    );
  });

  test('no output of any mode holds the whole token, the DSN or its key', () => {
    const key = new URL(s.dsn).username;
    assert.equal(key.length, 32);
    for (const text of outputs) {
      assert.ok(!text.includes(s.token), 'token printed');
      assert.ok(!text.includes(key), 'DSN key printed');
    }
    assert.ok(
      outputs.some((text) => text.includes(`${key.slice(0, 4)}…@`)),
      'the DSN is shown masked',
    );
  });

  test('an unreachable API is PARTIAL (inconclusive) with the exact rerun command; strict flags make it FAIL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const partial = await runCheck(['--mode', 'local-smoke', '--url', url], env());
    assert.equal(partial.code, 0);
    assert.match(partial.out, /^Status: PARTIAL/);
    assert.match(
      partial.out,
      new RegExp(`inconclusive: the Web API at ${url} is unavailable: connection refused \\(ECONNREFUSED\\)`),
    );
    assert.ok(
      partial.out.endsWith(
        `Next commands:\n- npx firebreak check --mode local-smoke --url ${url} --require-host-network`,
      ),
      partial.out,
    );
    for (const flag of ['--strict-network', '--require-host-network']) {
      const strict = await runCheck(['--mode', 'prod-health', '--url', url, flag], env());
      assert.equal(strict.code, 1);
      assert.match(strict.out, /^Status: FAIL/);
      assert.match(strict.out, new RegExp(`a failure because ${flag} is set`));
    }
    const stateFile = join(stateDir, 'down.json');
    const loop = await runCheck(['--mode', 'verify-loop', '--url', url, '--state-file', stateFile], env());
    assert.match(loop.out, /^Status: PARTIAL/);
    assert.match(loop.out, /no checkpoint written: the API checks did not reach the project/);
    assert.ok(!existsSync(stateFile), 'an inconclusive run leaves no checkpoint');
    const all = await runCheck(['--mode', 'all', '--url', url, '--repo-root', repo, '--json'], env());
    assert.equal(all.json.status, 'PARTIAL');
    assert.equal(checkOf(all.json, 'setup-preflight').status, 'PASS', 'repository checks still ran');
    for (const mode of ['local-smoke', 'release-gate', 'prod-health', 'issue-triage']) {
      assert.equal(checkOf(all.json, mode).status, 'PARTIAL', mode);
    }
    assert.deepEqual(validateJsonSchema(CHECK_OUTPUT_JSON_SCHEMA, all.json), []);
  });

  test('a URL that answers a web page instead of the API says so, not that the server refused', async () => {
    const page = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<html><body>Welcome</body></html>');
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
      const result = await runCheck(['--mode', 'prod-health', '--url', url], env());
      assert.equal(result.code, 1);
      assert.match(
        result.out,
        /GET \/api\/0\/\S* answered 200, but not as the Web API does: the answer is not JSON/,
      );
      assert.doesNotMatch(result.out, /refused/);
    } finally {
      page.close();
    }
  });

  test('a rate-limited API (429, as sentry.io answers) is inconclusive, not a failure', async () => {
    const limited = createServer((_request, response) => {
      response.writeHead(429, { 'Content-Type': 'application/json', 'Retry-After': '60' });
      response.end('{"detail":"You are attempting to use this endpoint too frequently."}');
    });
    await new Promise<void>((resolve) => limited.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(limited.address() as AddressInfo).port}`;
      const result = await runCheck(['--mode', 'prod-health', '--url', url], env());
      assert.equal(result.code, 0, result.out);
      assert.match(result.out, /^Status: PARTIAL/);
      assert.match(
        result.out,
        /inconclusive: the server rate-limited the check \(429 on GET \/api\/0\/\S*\)/,
      );
    } finally {
      limited.close();
    }
  });

  test('slug discovery: several projects fail fast; an invalid slug lists the candidates; one is auto-selected', async () => {
    const alpha = await t.setup('slugs-org', 'alpha');
    await t.setup('slugs-org', 'beta');
    const as = (args: string[]) => runCheck(['--url', t.url, ...args], { FIREBREAK_TOKEN: alpha.token });
    const several = await as(['--mode', 'prod-health']);
    assert.equal(several.code, 1);
    assert.match(
      several.out,
      /organisation slugs-org auto-selected: the only organisation the token can see/,
    );
    assert.match(several.out, /- 2 projects to choose from \(alpha, beta\): pass --project/);
    const invalid = await as(['--mode', 'prod-health', '--project', 'gamma']);
    assert.match(
      invalid.out,
      /project "gamma" \(from --project\) does not exist or the token cannot see it; candidates: alpha, beta/,
    );
    const badOrg = await as(['--mode', 'prod-health', '--org', 'nope']);
    assert.match(badOrg.out, /organisation "nope" \(from --org\) does not exist .*; candidates: slugs-org/);
    const chosen = await as(['--mode', 'prod-health', '--project', 'beta']);
    assert.match(chosen.out, /^Status: PASS/);
    assert.match(chosen.out, /project beta \(from --project\)/);
    const off = await as(['--mode', 'prod-health', '--no-auto-slug-discovery']);
    assert.match(off.out, /no organisation given and auto slug discovery is off: pass --org/);
    // `all` degrades: the production checks are skipped, the repository checks still run.
    const all = await as(['--mode', 'all', '--repo-root', repo, '--json']);
    assert.equal(all.code, 0);
    assert.equal(all.json.status, 'PARTIAL');
    assert.deepEqual(
      all.json.checks.map((c: any) => [c.mode, c.status, c.skipped]),
      [
        ['setup-preflight', 'PASS', false],
        ['local-smoke', 'PARTIAL', true],
        ['release-gate', 'PARTIAL', true],
        ['prod-health', 'PARTIAL', true],
        ['issue-triage', 'PARTIAL', true],
      ],
    );
  });

  test('slug discovery: a user in several organisations is asked for --org', async () => {
    const deps = { store: t.server.ctx.store, now: Date.now(), publicUrl: t.url };
    const other = await t.setup('second-org', 'web');
    const user = await createUser(deps, {
      email: 'ada@example.com',
      name: 'Ada',
      password: 'correct horse',
      org: s.org,
      role: 'owner',
    });
    const second = await t.server.ctx.store.orgs.getBySlug(other.org);
    await t.server.ctx.store.members.add({
      orgId: second!.id,
      userId: Number(user.id),
      role: 'owner',
      now: Date.now(),
    });
    const token = (
      await createToken(deps, { user: 'ada@example.com', scopes: 'org:read,project:read,event:read' })
    ).token;
    const result = await runCheck(['--mode', 'issue-triage', '--url', t.url], { SENTRY_AUTH_TOKEN: token });
    assert.equal(result.code, 1);
    assert.match(result.out, new RegExp(`organisations to choose from \\(.*${other.org}.*\\): pass --org`));
    const picked = await runCheck(['--mode', 'issue-triage', '--url', t.url, '--org', other.org], {
      SENTRY_AUTH_TOKEN: token,
    });
    assert.match(picked.out, /project web auto-selected/);
  });

  test('an organisation token supplies the server URL and the organisation, as with sentry-cli', async () => {
    const org = await createToken(
      { store: t.server.ctx.store, now: Date.now(), publicUrl: t.url },
      { org: s.org, kind: 'org' },
    );
    const result = await runCheck(['--mode', 'local-smoke', '--json'], { SENTRY_AUTH_TOKEN: org.token });
    assert.equal(result.json.target.url, t.url);
    assert.ok(result.json.evidence.includes(`organisation ${s.org} (from the organisation token)`));
    assert.ok(
      result.json.risks.some((r: string) => /lacks event:read/.test(r)),
      'org:ci cannot read issues',
    );
    // 002 gives CI tokens the release work: release-gate checks the release and says what it could not.
    await sentryCli(tmpdir(), { url: t.url, token: org.token, org: s.org, project: s.project }, [
      'releases',
      'new',
      'ci-gate@1',
    ]);
    const gate = await runCheck(
      [
        '--mode',
        'release-gate',
        '--project',
        s.project,
        '--release',
        'ci-gate@1',
        '--repo-root',
        tmpdir(),
        '--json',
      ],
      { SENTRY_AUTH_TOKEN: org.token },
    );
    assert.equal(gate.json.status, 'PARTIAL', JSON.stringify(gate.json));
    assert.ok(gate.json.evidence.includes(`release ci-gate@1 exists on the server for ${s.project}`));
    assert.ok(
      gate.json.risks.some((r: string) => /new and regressed issues of ci-gate@1 not checked/.test(r)),
    );
  });

  test('the CLI: secrets are refused as flags, --mode is required, exit codes follow the status', async () => {
    const secret = await runCheck(['--mode', 'local-smoke', '--token', 'abc']);
    assert.equal(secret.code, 2);
    assert.match(secret.err, /--token is not accepted .*set FIREBREAK_TOKEN or SENTRY_AUTH_TOKEN/);
    const cli = (args: string[], extra: Record<string, string> = {}) =>
      run(process.execPath, ['bin/firebreak.js', 'check', ...args], { env: { HOME: stateDir, ...extra } });
    const noMode = await cli([]);
    assert.equal(noMode.code, 2);
    assert.match(noMode.stderr, /--mode is required/);
    const pass = await cli(['--mode', 'local-smoke', '--url', t.url], { FIREBREAK_TOKEN: s.token });
    assert.equal(pass.code, 0, pass.stdout + pass.stderr);
    assert.match(pass.stdout, /^Status: PASS\nEvidence:\n/);
    const fail = await cli(['--mode', 'setup-preflight', '--repo-root', 'test/fixtures/check-repos/no-sdk']);
    assert.equal(fail.code, 1);
    assert.match(fail.stdout, /^Status: FAIL/);
  });
});
