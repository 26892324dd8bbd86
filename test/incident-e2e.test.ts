import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { memberWithToken } from './helpers/issues.ts';
import { declareScriptedIncident } from './helpers/scripted-incident.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const MINUTE = 60_000;

/**
 * The whole incident of issue #4, against a live server: a deploy, then errors from the real
 * @sentry/node SDK; declared from the issue with the real `firebreak incident` CLI; triage and
 * blast radius from the data; roles; a rollback whose hook is called; errors stop; verification
 * after the hold window; resolving refused without a root cause, then done.
 */
describe('a whole incident, from a bad deploy to a verified fix', () => {
  let t: TestServer;
  let receiver: HttpReceiver;
  const clock = manualClock(Date.now());
  before(async () => {
    t = await startTestServer({ clock, settings: { incidentTickSeconds: 0 } });
    receiver = await startHttpReceiver({ status: 200, body: '{"deploy":"started"}' });
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  test('spike after deploy → declare → triage → roles → rollback + hook → verified → resolved', async () => {
    // web@1 has run for hours, web@2 went out five minutes ago; 12 failing checkouts from 4
    // customers through the real @sentry/node; Ivy declares INC-1 from the issue with the CLI.
    const { s, api, org, issue, firebreak } = await declareScriptedIncident(
      t,
      clock,
      'https://linear.app/acme/issue/OPS-88',
    );
    const cli = (args: string[]) => firebreak(['incident', ...args]);
    const incident = (await api.get(`${org}/incidents/INC-1/`)).body;
    assert.equal(incident.ref, 'INC-1');
    assert.equal(incident.severity, 'P1');
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
      url: `${receiver.url}/rollback`,
      secret: 'hook-secret',
    });
    assert.equal(hook.status, 200, JSON.stringify(hook.body));
    const rollback = await cli(['mitigate', 'INC-1', '--type', 'rollback', '--release', 'web@1', '--json']);
    assert.equal(rollback.code, 0, rollback.stderr);
    assert.equal(receiver.requests.length, 1);
    const call = receiver.requests[0];
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
