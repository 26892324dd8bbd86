import assert from 'node:assert/strict';
import type { manualClock } from '../../src/clock.ts';
import { createPostgresTestDatabase } from '../../src/store/test-databases.ts';
import { apiClient, memberWithToken, mintToken } from './issues.ts';
import { run } from './run.ts';
import { startTestServer, type TestServer } from './server.ts';

/**
 * The scripted incident of issue #4 as steps: test/incident-e2e.test.ts runs it with every check
 * along the way, the post-mortem tests continue from it.
 */

const MINUTE = 60_000;
type Clock = ReturnType<typeof manualClock>;

/** The e2e test's server (no background ticker), on either backend. */
export async function startOn(backend: 'sqlite' | 'postgres', clock: Clock): Promise<TestServer> {
  const settings = { incidentTickSeconds: 0 };
  if (backend === 'sqlite') return startTestServer({ clock, settings });
  const database = await createPostgresTestDatabase();
  const server = await startTestServer({ clock, settings, databaseUrl: database.url });
  return { ...server, close: () => server.close().then(() => database.cleanup()) };
}

/**
 * web@1 has run for hours, web@2 went out five minutes ago; then 12 failing checkouts from 4
 * customers through the real @sentry/node, and the on-call engineer (Ivy) declares INC-1 with the
 * real CLI, with its Linear ticket.
 */
export async function declareScriptedIncident(t: TestServer, clock: Clock, ticket: string) {
  const s = await t.setup();
  const api = apiClient(t.url, s.token);
  const org = `/api/0/organizations/${s.org}`;
  const realNow = Date.now();
  clock.set(realNow);
  for (const [version, finished] of [
    ['web@1', realNow - 3 * 60 * MINUTE],
    ['web@2', realNow - 5 * MINUTE],
  ] as const) {
    assert.equal((await api.post(`${org}/releases/`, { version, projects: [s.project] })).status, 201);
    const deploy = await api.post(`${org}/releases/${version}/deploys/`, {
      environment: 'production',
      dateFinished: new Date(finished).toISOString(),
    });
    assert.equal(deploy.status, 201, JSON.stringify(deploy.body));
  }
  const sent = await run(process.execPath, ['test/fixtures/apps/sdk-incident-app.mjs', '12', '4'], {
    env: { SENTRY_DSN: s.dsn, SENTRY_RELEASE: 'web@2' },
  });
  assert.equal(sent.code, 0, sent.stderr);
  clock.set(Date.now());
  const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
  assert.equal(issue.count, '12');

  const ic = await memberWithToken(t, s.org, 'Ivy');
  const icToken = await mintToken(t, {
    org: s.org,
    scopes: ['incident:write', 'event:read', 'org:read'],
    userId: ic.user.id,
  });
  const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: icToken };
  const firebreak = (args: string[]) => run(process.execPath, ['bin/firebreak.js', ...args], { env });
  const declared = await firebreak(
    ['incident', 'declare', '--issue', issue.shortId, '--severity', 'P1', '--ticket', ticket].concat(
      '--json',
    ),
  );
  assert.equal(declared.code, 0, declared.stderr);
  return { s, api, org, inc: `${org}/incidents/INC-1`, issue, ic, firebreak };
}

/**
 * The response: triage takes three minutes, then the rollback to web@1; twelve quiet minutes
 * later (past the 10-minute hold window) it is resolved with its root cause. Returns the
 * resolved incident as the API answered it.
 */
export async function rollBackAndResolve(
  clock: Clock,
  firebreak: (args: string[]) => ReturnType<typeof run>,
  rootCause: string,
) {
  assert.equal((await firebreak(['incident', 'role', 'INC-1', 'commander', 'me'])).code, 0);
  assert.equal((await firebreak(['incident', 'status', 'INC-1', 'mitigating'])).code, 0);
  clock.advance(3 * MINUTE);
  const rollback = await firebreak('incident mitigate INC-1 --type rollback --release web@1'.split(' '));
  assert.equal(rollback.code, 0, rollback.stderr);
  clock.advance(12 * MINUTE);
  assert.equal((await firebreak(['incident', 'status', 'INC-1', 'monitoring'])).code, 0);
  const resolved = await firebreak(['incident', 'resolve', 'INC-1', '--root-cause', rootCause, '--json']);
  assert.equal(resolved.code, 0, resolved.stderr);
  return JSON.parse(resolved.stdout);
}
