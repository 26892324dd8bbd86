import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { apiClient, memberWithToken, mintToken } from './helpers/issues.ts';
import { run } from './helpers/run.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const MINUTE = 60_000;

/** A real local webhook receiver: records each request's headers and body. */
async function startReceiver() {
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"deploy":"started"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/rollback`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The whole incident of issue #4, against a live server: a deploy, then errors from the real
 * @sentry/node SDK; declared from the issue with the real `firebreak incident` CLI; triage and
 * blast radius from the data; roles; a rollback whose hook is called; errors stop; verification
 * after the hold window; resolving refused without a root cause, then done.
 */
describe('a whole incident, from a bad deploy to a verified fix', () => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const clock = manualClock(Date.now());
  before(async () => {
    t = await startTestServer({ clock, settings: { incidentTickSeconds: 0 } });
    receiver = await startReceiver();
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  test('spike after deploy → declare → triage → roles → rollback + hook → verified → resolved', async () => {
    const s = await t.setup();
    const api = apiClient(t.url, s.token);
    const org = `/api/0/organizations/${s.org}`;
    const realNow = Date.now();
    clock.set(realNow);

    // web@1 has run in production for hours; web@2 went out five minutes ago.
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

    // 12 failing checkouts from 4 customers, sent by the real SDK.
    const sent = await run(process.execPath, ['test/fixtures/apps/sdk-incident-app.mjs', '12', '4'], {
      env: { SENTRY_DSN: s.dsn, SENTRY_RELEASE: 'web@2' },
    });
    assert.equal(sent.code, 0, sent.stderr);
    assert.equal(JSON.parse(sent.stdout).ids.length, 12);
    clock.set(Date.now());
    const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
    assert.equal(issue.count, '12');

    // Declared from the issue with the CLI, as the on-call engineer would.
    const ic = await memberWithToken(t, s.org, 'Ivy');
    const icToken = await mintToken(t, {
      org: s.org,
      scopes: ['incident:write', 'event:read', 'org:read'],
      userId: ic.user.id,
    });
    const cli = (args: string[], token = icToken) =>
      run(process.execPath, ['bin/firebreak.js', 'incident', ...args], {
        env: { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: token },
      });
    const declared = await cli(['declare', '--issue', issue.shortId, '--severity', 'P1', '--json']);
    assert.equal(declared.code, 0, declared.stderr);
    const incident = JSON.parse(declared.stdout);
    assert.equal(incident.ref, 'INC-1');
    assert.deepEqual(
      incident.issues.map((i: any) => i.shortId),
      [issue.shortId],
    );

    // Triage: the numbers are what the SDK sent.
    const triage = (await api.get(`${org}/incidents/INC-1/triage/`)).body;
    assert.equal(triage.total.events.window, 12);
    assert.equal(triage.total.events.baseline, 0);
    assert.equal(triage.total.users.window, 4);
    const regions = Object.fromEntries(
      triage.total.affected.regions.values.map((v: any) => [v.value, v.count]),
    );
    assert.deepEqual(regions, { 'eu-west-1': 6, 'us-east-1': 6 });
    assert.equal(triage.total.affected.organizations.distinct, 2);
    assert.equal(triage.issues[0].deployBeforeFirstSeen.version, 'web@2');
    assert.equal(triage.issues[0].topFrame.function, 'checkout');
    // Many users, one feature (POST /checkout): investigate and consider rollback.
    assert.equal(triage.blastRadius.class, 'many_users_one_feature');
    assert.equal(triage.blastRadius.recommendation, 'investigate_and_consider_rollback');
    assert.deepEqual(
      triage.blastRadius.features.names.map((f: any) => f.name),
      ['POST /checkout'],
    );
    assert.equal(triage.suspects.deploy.version, 'web@2');
    assert.equal(triage.suspects.rollbackTarget.version, 'web@1');

    // Roles, then the rollback to the target, which calls the project's hook.
    const comms = await memberWithToken(t, s.org, 'Cole');
    assert.equal((await cli(['role', 'INC-1', 'commander', 'me'])).code, 0);
    assert.equal((await cli(['role', 'INC-1', 'comms_lead', comms.user.email])).code, 0);
    assert.equal((await cli(['status', 'INC-1', 'mitigating', '--from', 'triage'])).code, 0);
    const hook = await api.put(`/api/0/projects/${s.org}/${s.project}/mitigation-hook/`, {
      url: receiver.url,
      secret: 'hook-secret',
    });
    assert.equal(hook.status, 200, JSON.stringify(hook.body));
    const rollback = await cli(['mitigate', 'INC-1', '--type', 'rollback', '--release', 'web@1', '--json']);
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.equal(receiver.received.length, 1);
    const call = receiver.received[0];
    const payload = JSON.parse(call.body);
    assert.equal(payload.incident.ref, 'INC-1');
    assert.equal(payload.mitigation.release, 'web@1');
    const signature = createHmac('sha256', 'hook-secret').update(call.body).digest('hex');
    assert.equal(call.headers['x-firebreak-signature'], `sha256=${signature}`);

    // The errors stop. Right after the rollback the hold window has not passed yet …
    clock.advance(2 * MINUTE);
    const early = await api.post(`${org}/incidents/INC-1/verify/`, {});
    assert.equal(early.status, 200, JSON.stringify(early.body));
    assert.notEqual(early.body.verdict, 'resolved');
    // … after it, with no event since, the verification says resolved.
    clock.advance(10 * MINUTE);
    assert.equal((await cli(['status', 'INC-1', 'monitoring'])).code, 0);
    const verified = await cli(['verify', 'INC-1', '--json']);
    assert.equal(verified.code, 0, verified.stderr);
    assert.equal(JSON.parse(verified.stdout).verdict, 'resolved');

    // Resolving needs a root cause: refused (exit 2, the API's 400), then done.
    const refused = await cli(['resolve', 'INC-1']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /root cause/i);
    const resolved = await cli([
      'resolve',
      'INC-1',
      '--root-cause',
      'web@2 sent empty carts to checkout',
      '--json',
    ]);
    assert.equal(resolved.code, 0, resolved.stderr);
    const final = JSON.parse(resolved.stdout);
    assert.equal(final.status, 'resolved');
    assert.ok(final.milestones.mitigated && final.milestones.resolved);
    assert.ok(final.durations.timeToResolve >= 12 * 60);
    assert.deepEqual(
      final.roles.map((r: any) => [r.role, r.user.name]),
      [
        ['commander', 'Ivy'],
        ['comms_lead', 'Cole'],
      ],
    );

    const kinds = (await api.get(`${org}/incidents/INC-1/timeline/`)).body.map((e: any) => e.kind);
    for (const kind of [
      'declared',
      'issue_linked',
      'role',
      'status',
      'mitigation',
      'hook_result',
      'verification',
      'resolved',
    ]) {
      assert.ok(kinds.includes(kind), `timeline has ${kind}: ${kinds.join(', ')}`);
    }
  });
});
