import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createToken } from '../src/auth/create-token.ts';
import { CHECK_OUTPUT_JSON_SCHEMA } from '../src/checks/schemas.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { validateJsonSchema } from './helpers/check-json-schema.ts';
import { commitAll, copyFixtureRepo, git, sentryCli } from './helpers/check-repo.ts';
import { checkOf, runCheck } from './helpers/check-run.ts';
import { runSdkApp } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

/**
 * Each mode against a live Firebreak holding issues sent by the real @sentry/node SDK and a
 * release made with the real sentry-cli (commits, finalize, deploy).
 */
describe('firebreak check against a live Firebreak', () => {
  let t: TestServer;
  let s: SetupResult;
  let repo: string;
  let cleanRepo: string;
  const RELEASE = 'web@1.4.0';
  const env = () => ({ FIREBREAK_TOKEN: s.token, SENTRY_DSN: s.dsn });
  const base = () => ['--url', t.url];
  const issueId = async (title: RegExp) => {
    const list = await apiGet(t.url, s.token, `/api/0/projects/${s.org}/${s.project}/issues/?query=`);
    return list.body.find((i: any) => title.test(i.title)).id as string;
  };
  const setStatus = (id: string, status: string) =>
    fetch(`${t.url}/api/0/organizations/${s.org}/issues/${id}/`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status }),
    });

  before(async () => {
    t = await startTestServer();
    s = await t.setup();
    repo = copyFixtureRepo('wired-node');
    await commitAll(repo, 'v1.4.0');
    const sdk = { SENTRY_DSN: s.dsn, SENTRY_RELEASE: RELEASE, SENTRY_ENVIRONMENT: 'production' };
    await runSdkApp('paths', sdk);
    await runSdkApp('repeat', sdk);
    const server = { url: t.url, token: s.token, org: s.org, project: s.project };
    await sentryCli(repo, server, ['releases', 'new', RELEASE]);
    await sentryCli(repo, server, ['releases', 'set-commits', RELEASE, '--local']);
    await sentryCli(repo, server, ['releases', 'finalize', RELEASE]);
    await sentryCli(repo, server, ['deploys', 'new', '-r', RELEASE, '-e', 'production']);
    // A release with commits and a deploy that brought no issue: what a clean gate looks like.
    await git(repo, ['commit', '--allow-empty', '-q', '-m', 'web 2.0.0']);
    await sentryCli(repo, server, ['releases', 'new', 'web@2.0.0']);
    await sentryCli(repo, server, ['releases', 'set-commits', 'web@2.0.0', '--local']);
    await sentryCli(repo, server, ['releases', 'finalize', 'web@2.0.0']);
    await sentryCli(repo, server, ['deploys', 'new', '-r', 'web@2.0.0', '-e', 'production']);
    await git(repo, ['checkout', '-q', 'v1.4.0']);
    // Resolved, then seen again: a regression.
    assert.equal((await setStatus(await issueId(/^TypeError/), 'resolved')).status, 200);
    await runSdkApp('paths', sdk);
    cleanRepo = copyFixtureRepo('wired-node');
    const manifest = join(cleanRepo, 'package.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"1.4.0"', '"2.0.0"'));
  });
  after(async () => {
    await t.close();
    rmSync(repo, { recursive: true, force: true });
    rmSync(cleanRepo, { recursive: true, force: true });
  });

  test('local-smoke: API reachable, token valid with every scope, DSN key active; secrets masked', async () => {
    const run = await runCheck(['--mode', 'local-smoke', ...base()], env());
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /^Status: PASS\nEvidence:\n/);
    assert.match(run.out, /token sntryu_…[0-9a-f]{4} \(from FIREBREAK_TOKEN\) is valid/);
    assert.match(run.out, /organisation \S+ auto-selected: the only organisation the token can see/);
    assert.match(run.out, /the DSN's key "Default" is an active key of/);
    assert.ok(!run.out.includes(s.token) && !run.out.includes(new URL(s.dsn).username), 'secrets printed');
    const json = await runCheck(['--mode', 'local-smoke', ...base(), '--json'], env());
    const data = checkOf(json.json, 'local-smoke').data;
    assert.deepEqual(data.missingScopes, []);
    assert.equal(data.dsn.matchesProject, true);
    assert.equal(data.dsn.keyActive, true);
    assert.equal(data.testEvent, null);
  });

  test("local-smoke: a DSN whose host is not the server's is flagged; its test event failing blames ingest, not the Web API", async () => {
    const wrongHost = new URL(s.dsn);
    wrongHost.port = '9';
    const dsn = wrongHost.toString().replace(/\/$/, '');
    const run = await runCheck(['--mode', 'local-smoke', ...base(), '--json'], { ...env(), SENTRY_DSN: dsn });
    assert.equal(run.json.status, 'PARTIAL', JSON.stringify(run.json));
    assert.ok(
      run.json.risks.some((r: string) => /SENTRY_DSN sends to 127\.0\.0\.1:9, but the server's DSN/.test(r)),
      JSON.stringify(run.json.risks),
    );
    const sent = await runCheck(['--mode', 'local-smoke', ...base(), '--send-test-event', '--json'], {
      ...env(),
      SENTRY_DSN: dsn,
    });
    assert.ok(
      sent.json.risks.some((r: string) =>
        /inconclusive: the test event was not sent: .*127\.0\.0\.1:9/.test(r),
      ),
      JSON.stringify(sent.json.risks),
    );
    assert.ok(!JSON.stringify(sent.json).includes('is unavailable'), 'the Web API answered; ingest did not');
  });

  test('local-smoke names the scopes a narrow token lacks, and which modes need them', async () => {
    const narrow = await createToken(
      { store: t.server.ctx.store, now: Date.now(), publicUrl: t.url },
      { org: s.org, scopes: 'org:read' },
    );
    const run = await runCheck(['--mode', 'local-smoke', ...base(), '--json'], {
      SENTRY_AUTH_TOKEN: narrow.token,
    });
    assert.equal(run.code, 1);
    assert.equal(run.json.status, 'FAIL');
    const missing = checkOf(run.json, 'local-smoke').data.missingScopes;
    assert.deepEqual(
      missing.map((m: any) => m.scopes),
      [['event:read'], ['project:read', 'project:releases', 'org:ci']],
    );
    assert.ok(missing[0].neededBy.includes('prod-health') && missing[0].neededBy.includes('issue-triage'));
    assert.ok(run.json.risks.some((r: string) => /lacks event:read .*needed by prod-health/.test(r)));
    assert.ok(run.json.nextCommands.some((c: string) => c.startsWith('npx firebreak token create')));
  });

  test('a token the server does not know is a FAIL, shown masked', async () => {
    const bogus = `sntryu_${'ab'.repeat(32)}`;
    const run = await runCheck(['--mode', 'prod-health', ...base()], { SENTRY_AUTH_TOKEN: bogus });
    assert.equal(run.code, 1);
    assert.match(run.out, /^Status: FAIL/);
    assert.match(run.out, /token sntryu_…abab rejected \(401 on GET \/api\/0\/\)/);
    assert.ok(!run.out.includes(bogus));
  });

  test('prod-health: counts by level, regressions, top issues by events and users', async () => {
    const run = await runCheck(['--mode', 'prod-health', ...base(), '--json'], env());
    assert.equal(run.json.status, 'PARTIAL', run.out);
    const data = checkOf(run.json, 'prod-health').data;
    assert.equal(data.unresolved, 3);
    assert.equal(data.complete, true);
    assert.deepEqual(data.byLevel, { fatal: 0, error: 3, warning: 0, info: 0, debug: 0, other: 0 });
    assert.equal(data.new24h, 3);
    assert.equal(data.regressed, 1);
    assert.equal(data.events24h, 10);
    assert.match(data.topByEvents[0].title, /invoice for order/);
    assert.deepEqual([data.topByEvents[0].events, data.topByUsers[0].users], [6, 3]);
    assert.ok(run.json.risks.some((r: string) => /unresolved backlog: 3 issues/.test(r)));
    assert.ok(run.json.risks.some((r: string) => /1 regressed issues came back/.test(r)));
  });

  test('issue-triage: a deterministic checklist, regressed first, each with its command', async () => {
    const first = await runCheck(['--mode', 'issue-triage', ...base()], env());
    const second = await runCheck(['--mode', 'issue-triage', ...base()], env());
    assert.equal(first.out, second.out, 'same issues, same checklist');
    const regressed = await issueId(/^TypeError/);
    const lines = first.out.split('\n').filter((l) => l.startsWith('- [ ] '));
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^- \[ \] 1\. \S+ regressed error "TypeError/);
    assert.match(
      lines[1],
      /^- \[ \] 2\. \S+ new error "Error: invoice for order \d+ could not be rendered": 6 events, 3 users/,
    );
    assert.match(
      first.out,
      new RegExp(
        `curl -sH "Authorization: Bearer \\$FIREBREAK_TOKEN" ${t.url}/api/0/organizations/${s.org}/issues/${regressed}/events/latest/  # 1\\.`,
      ),
    );
    const latest = await apiGet(
      t.url,
      s.token,
      `/api/0/organizations/${s.org}/issues/${regressed}/events/latest/`,
    );
    assert.equal(latest.status, 200, 'the suggested command reads the latest event');
  });

  test('release-gate: naming matches manifest and tag; release has commits and a deploy; new issues listed', async () => {
    const run = await runCheck(
      ['--mode', 'release-gate', ...base(), '--repo-root', repo, '--release', RELEASE, '--json'],
      env(),
    );
    const check = checkOf(run.json, 'release-gate');
    assert.equal(run.json.status, 'PARTIAL', run.out);
    assert.ok(check.evidence.includes(`release ${RELEASE} matches package.json (1.4.0)`));
    assert.ok(check.evidence.includes(`release ${RELEASE} matches git tag on HEAD (v1.4.0)`));
    assert.equal(check.data.existsOnServer, true);
    assert.equal(check.data.finalized, true);
    assert.ok(check.data.commitCount >= 1);
    assert.deepEqual(check.data.deployEnvironments, ['production']);
    assert.equal(check.data.newIssues.length, 3);
    assert.equal(check.data.regressedIssues.length, 1);
    // The fixture app's sessions reach release health: handled errors, no crash.
    assert.equal(check.data.crashFreeSessions, 100);
    assert.ok(
      check.evidence.some((l: string) => /crash-free/.test(l)),
      run.out,
    );
    assert.ok(!check.risks.some((r: string) => /crash-free/.test(r)), 'a crash-free release is not a risk');
  });

  test('release-gate: a release with commits, a deploy and no new issues passes', async () => {
    const run = await runCheck(
      ['--mode', 'release-gate', ...base(), '--repo-root', cleanRepo, '--release', 'web@2.0.0'],
      env(),
    );
    assert.equal(run.code, 0);
    assert.match(run.out, /^Status: PASS/, run.out);
    assert.match(run.out, /not a git work tree/);
    // No session was sent in web@2.0.0: no release health is said, and is not a risk.
    assert.match(run.out, /crash-free rate: not available/);
  });

  test('release-gate: a release naming another version, and not on the server, fails', async () => {
    const run = await runCheck(
      ['--mode', 'release-gate', ...base(), '--repo-root', repo, '--release', 'web@1.5.0'],
      env(),
    );
    assert.equal(run.code, 1);
    assert.match(run.out, /release web@1\.5\.0 does not match package\.json \(1\.4\.0/);
    assert.match(run.out, /release web@1\.5\.0 does not match git tag on HEAD \(v1\.4\.0/);
    assert.match(run.out, /release web@1\.5\.0 is not on the server/);
    assert.match(run.out, /- sentry-cli releases new web@1\.5\.0 --project/);
  });

  test('release-gate without --release infers the release from the manifest version', async () => {
    const run = await runCheck(['--mode', 'release-gate', ...base(), '--repo-root', repo], env());
    assert.match(run.out, /release web@1\.4\.0 inferred from the manifest version 1\.4\.0/);
    const env2 = { ...env(), SENTRY_RELEASE: 'web@1.4.0' };
    const fromEnv = await runCheck(
      ['--mode', 'release-gate', ...base(), '--repo-root', repo, '--json'],
      env2,
    );
    assert.equal(checkOf(fromEnv.json, 'release-gate').data.releaseSource, 'env');
  });

  test('local-smoke --send-test-event: one event through the DSN, read back; prod-health leaves it out', async () => {
    const run = await runCheck(['--mode', 'local-smoke', ...base(), '--send-test-event', '--json'], env());
    const event = checkOf(run.json, 'local-smoke').data.testEvent;
    assert.equal(run.json.status, 'PASS', run.out);
    assert.deepEqual([event.accepted, event.confirmed], [true, true]);
    const stored = await apiGet(
      t.url,
      s.token,
      `/api/0/projects/${s.org}/${s.project}/events/${event.eventId}/`,
    );
    assert.equal(stored.status, 200);
    assert.equal(stored.body.environment, 'firebreak-check');
    const health = await runCheck(['--mode', 'prod-health', ...base(), '--json'], env());
    assert.equal(checkOf(health.json, 'prod-health').data.unresolved, 3);
    assert.ok(health.json.evidence.includes('the local-smoke test issue is left out of these counts'));
  });

  test('verify-loop: a checkpoint, then the deltas since it on the next run', async () => {
    const stateFile = join(repo, '..', `${s.org}-verify-loop.json`);
    const args = [
      '--mode',
      'verify-loop',
      ...base(),
      '--repo-root',
      repo,
      '--state-file',
      stateFile,
      '--json',
    ];
    const first = await runCheck(args, env());
    const own = checkOf(first.json, 'verify-loop');
    assert.deepEqual(
      first.json.checks.map((c: any) => c.mode),
      ['local-smoke', 'prod-health', 'release-gate', 'issue-triage', 'verify-loop'],
    );
    assert.equal(own.data.delta, null);
    assert.ok(own.evidence.includes('first run: no checkpoint to compare with'));
    assert.ok(existsSync(stateFile));
    const checkpoint = JSON.parse(readFileSync(stateFile, 'utf8'));
    assert.equal(Object.keys(checkpoint.issues).length, 3);

    await runSdkApp('message', { SENTRY_DSN: s.dsn, SENTRY_RELEASE: RELEASE });
    await setStatus(await issueId(/^RangeError/), 'resolved');
    const second = await runCheck(args, env());
    const delta = checkOf(second.json, 'verify-loop').data.delta;
    assert.equal(delta.since, checkpoint.takenAt);
    const titles = delta.newIssues.map((i: any) => i.title).sort();
    assert.equal(titles.length, 2);
    assert.equal(titles[0], 'Cache nearly full');
    assert.match(titles[1], /^User \d+ logged in$/);
    assert.deepEqual(
      delta.resolvedIssues.map((i: any) => i.title),
      ['RangeError: cart is empty'],
    );
    assert.deepEqual([delta.unresolvedBefore, delta.unresolvedNow], [3, 4]);
    assert.equal(delta.eventsSince, 3);
    assert.ok(second.json.risks.some((r: string) => /2 new issues since the last checkpoint/.test(r)));
    rmSync(stateFile, { force: true });

    // A --state-file that is not a checkpoint (an app's own file) is never written over.
    const appFile = join(repo, '..', `${s.org}-package.json`);
    writeFileSync(appFile, '{"name":"app"}\n');
    const refused = await runCheck(
      args.map((a) => (a === stateFile ? appFile : a)),
      env(),
    );
    assert.equal(readFileSync(appFile, 'utf8'), '{"name":"app"}\n');
    assert.equal(checkOf(refused.json, 'verify-loop').data.checkpointWritten, false);
    assert.ok(
      refused.json.risks.some((r: string) => /is unreadable as a checkpoint \(not a checkpoint\)/.test(r)),
    );
    rmSync(appFile, { force: true });
  });

  test('all: every safe check in the workflow order, one contract, valid against the JSON schema', async () => {
    const run = await runCheck(
      ['--mode', 'all', ...base(), '--repo-root', repo, '--release', RELEASE, '--json'],
      env(),
    );
    assert.deepEqual(
      run.json.checks.map((c: any) => [c.mode, c.skipped]),
      [
        ['setup-preflight', false],
        ['local-smoke', false],
        ['release-gate', false],
        ['prod-health', false],
        ['issue-triage', false],
      ],
    );
    assert.equal(run.json.status, 'PARTIAL');
    assert.deepEqual(validateJsonSchema(CHECK_OUTPUT_JSON_SCHEMA, run.json), []);
    assert.ok(run.json.evidence.includes('setup-preflight: PASS'));
    assert.equal(run.json.target.org, s.org);
    const text = await runCheck(
      ['--mode', 'all', ...base(), '--repo-root', repo, '--release', RELEASE],
      env(),
    );
    assert.match(
      text.out,
      /^Status: PARTIAL\nEvidence:\n- setup-preflight: PASS\n[\s\S]*\nRisks:\n- [\s\S]*\nNext commands:\n- /,
    );
  });
});
