import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { tickIncidents } from '../src/incidents/ticker.ts';
import { startHttpReceiver } from './helpers/http-receiver.ts';
import { apiClient, mintToken, sendEvent } from './helpers/issues.ts';
import { startOn } from './helpers/scripted-incident.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const MINUTE = 60_000;
const SECRET = 'hook-secret-do-not-show';

/** A real webhook receiver on 127.0.0.1 that answers `status` and keeps what it got. */
async function receiver(status: number) {
  const r = await startHttpReceiver({ status, body: status < 300 ? 'rolled back' : 'boom' });
  return { url: `${r.url}/hook`, received: r.requests, close: r.close };
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`incident response: mitigate, verify, resolve, communicate (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startOn(backend, clock);
    });
    after(() => t.close());

    /** Sends `count` events of one message, spread over the minute starting at `minuteStart`. */
    async function burst(
      s: Awaited<ReturnType<TestServer['setup']>>,
      message: string,
      minuteStart: number,
      count: number,
    ) {
      for (let i = 0; i < count; i++) {
        await sendEvent(t, s, {
          message,
          timestamp: (minuteStart + 1000 + i * Math.floor(58_000 / count)) / 1000,
          user: { id: `user-${i % 3}` },
        });
      }
    }

    /**
     * web: "Checkout failed" 6 times in the hour before T0 (0.1/min), then 2/min for 10 minutes;
     * api: "Payment timeout", new with the incident, 1/min for 10 minutes. Declared at T0+10m.
     */
    async function spikingIncident() {
      clock.set(T0 + 10 * MINUTE);
      const web = await t.setup();
      const api = await t.setup(web.org, `api${web.projectId}`);
      for (let m = 55; m >= 5; m -= 10) await burst(web, 'Checkout failed', T0 - m * MINUTE, 1);
      for (let m = 0; m < 10; m++) {
        await burst(web, 'Checkout failed', T0 + m * MINUTE, 2);
        await burst(api, 'Payment timeout', T0 + m * MINUTE, 1);
      }
      const client = apiClient(t.url, web.token);
      const webIssue = (await client.get(`/api/0/projects/${web.org}/${web.project}/issues/`)).body[0];
      const apiIssue = (await client.get(`/api/0/projects/${web.org}/${api.project}/issues/`)).body[0];
      const base = `/api/0/organizations/${web.org}/incidents/INC-1/`;
      const declared = await client.post(`/api/0/organizations/${web.org}/incidents/`, {
        issues: [webIssue.shortId, apiIssue.shortId],
        severity: 'P1',
        firstEventAt: T0,
      });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      return { web, api, client, webIssue, apiIssue, base };
    }

    test('the whole loop: rollback with hooks → errors stop → improving → resolved after the hold → resolve', async () => {
      const { web, api, client, webIssue, apiIssue, base } = await spikingIncident();
      const ok = await receiver(200);
      const failing = await receiver(500);
      try {
        const hookPath = `/api/0/projects/${web.org}/${web.project}/mitigation-hook/`;
        const set = await client.put(hookPath, { url: ok.url, secret: SECRET });
        assert.equal(set.status, 200, JSON.stringify(set.body));
        assert.deepEqual([set.body.url, set.body.hasSecret, set.body.command], [ok.url, true, null]);
        assert.ok(!JSON.stringify((await client.get(hookPath)).body).includes(SECRET));
        await client.put(`/api/0/projects/${web.org}/${api.project}/mitigation-hook/`, { url: failing.url });

        assert.equal((await client.get(`${base}verification/`)).body.verdict, 'no_mitigation');
        assert.equal((await client.post(`${base}mitigations/`, { type: 'rollback' })).status, 400);
        clock.set(T0 + 10 * MINUTE + 30_000);
        const mitigated = await client.post(`${base}mitigations/`, {
          type: 'rollback',
          release: 'web@1.4.1',
          owner: 'Ada (on call)',
          description: 'revert checkout refactor',
        });
        assert.equal(mitigated.status, 201, JSON.stringify(mitigated.body));
        assert.equal(mitigated.body.entry.kind, 'mitigation');
        assert.match(mitigated.body.entry.body, /^Rollback to web@1\.4\.1: revert checkout refactor/);
        assert.deepEqual(mitigated.body.hooks.map((h: any) => [h.project, h.ok, h.status]).sort(), [
          [api.project, false, 500],
          [web.project, true, 200],
        ]);

        // The receiver got the mitigation, signed with the secret.
        assert.equal(ok.received.length, 1);
        const [call] = ok.received;
        const expected = createHmac('sha256', SECRET).update(call.body).digest('hex');
        assert.equal(call.headers['x-firebreak-signature'], `sha256=${expected}`);
        const payload = JSON.parse(call.body);
        assert.equal(payload.action, 'mitigation');
        assert.deepEqual(
          [payload.incident.ref, payload.incident.severity, payload.project.slug],
          ['INC-1', 'P1', web.project],
        );
        assert.deepEqual(
          [payload.mitigation.type, payload.mitigation.release, payload.mitigation.id],
          ['rollback', 'web@1.4.1', mitigated.body.entry.id],
        );
        assert.equal(failing.received[0].headers['x-firebreak-signature'], undefined);

        const incident = (await client.get(base)).body;
        assert.equal(incident.milestones.mitigated, new Date(T0 + 10 * MINUTE + 30_000).toISOString());
        const timeline = (await client.get(`${base}timeline/`)).body;
        const results = timeline.filter((e: any) => e.kind === 'hook_result');
        assert.deepEqual(results.map((e: any) => [e.data.project, e.data.ok]).sort(), [
          [api.project, false],
          [web.project, true],
        ]);
        assert.ok(!JSON.stringify(timeline).includes(SECRET));
        const listed = (await client.get(`${base}mitigations/`)).body;
        assert.equal(listed.length, 1);
        assert.equal(listed[0].hooks.length, 2);

        // Same minute as the mitigation: nothing to judge yet.
        assert.equal((await client.get(`${base}verification/`)).body.verdict, 'pending');

        // 3 minutes later, one stray event: the numbers are exactly what was sent.
        clock.set(T0 + 14 * MINUTE + 30_000);
        await burst(web, 'Checkout failed', T0 + 12 * MINUTE, 1);
        const early = (await client.get(`${base}verification/`)).body;
        assert.equal(early.verdict, 'improving', JSON.stringify(early));
        assert.deepEqual(
          [early.baseline.count, early.baseline.minutes, early.baselinePerMinute],
          [6, 60, 0.1],
        );
        assert.deepEqual([early.during.count, early.during.minutes, early.duringPerMinute], [30, 10, 3]);
        assert.deepEqual([early.after.count, early.after.minutes, early.afterPerMinute], [1, 3, 0.333]);
        assert.equal(early.after.start, new Date(T0 + 11 * MINUTE).toISOString());
        assert.equal(early.holdEndsAt, new Date(T0 + 21 * MINUTE).toISOString());
        const byIssue = Object.fromEntries(early.issues.map((i: any) => [i.shortId, i.counts]));
        assert.deepEqual(byIssue[webIssue.shortId], { baseline: 6, during: 20, after: 1, recent: 1 });
        assert.deepEqual(byIssue[apiIssue.shortId], { baseline: 0, during: 10, after: 0, recent: 0 });

        const draft = (await client.get(`${base}updates/draft/`)).body;
        assert.equal(draft.audience, 'technical');
        assert.match(
          draft.text,
          /Mitigation: Rollback to web@1\.4\.1: revert checkout refactor \(owner: Ada \(on call\)\) at 09:10 UTC/,
        );
        assert.match(
          draft.text,
          new RegExp(
            `hook ${web.project}: ok \\(200\\); hook ${api.project}: failed \\(500\\)|hook ${api.project}: failed \\(500\\); hook ${web.project}: ok \\(200\\)`,
          ),
        );
        assert.match(
          draft.text,
          /Total: 0\.33\/min now vs baseline 0\.10\/min \(1 events in the last 3 min\)/,
        );
        assert.match(draft.text, /Verification: improving — below the rate before the mitigation/);
        const plain = (await client.get(`${base}updates/draft/?audience=business`)).body;
        assert.match(plain.text, /errors are going down, though not yet to their normal level/);
        assert.equal(plain.basedOn.contained, false);

        const refused = await client.post(`${base}resolve/`, {});
        assert.equal(refused.status, 400);
        assert.match(refused.body.detail, /root cause/);
        assert.match(refused.body.detail, /"resolved" verification \(improving/);
        assert.match(refused.body.detail, /hold window ends at 2026-11-22T09:21:00\.000Z/);

        // The ticker records the verdict once, and again only when it changes.
        const kinds = async () =>
          (await client.get(`${base}timeline/`)).body
            .filter((e: any) => e.kind === 'verification')
            .map((e: any) => [e.actor, e.data.verdict]);
        await tickIncidents(t.server.ctx);
        await tickIncidents(t.server.ctx);
        assert.deepEqual(await kinds(), [['system', 'improving']]);
        clock.set(T0 + 21 * MINUTE + 5_000);
        await tickIncidents(t.server.ctx);
        await tickIncidents(t.server.ctx);
        assert.deepEqual(await kinds(), [
          ['system', 'improving'],
          ['system', 'resolved'],
        ]);
        const held = (await client.post(`${base}verify/`, {})).body;
        assert.equal(held.verdict, 'resolved');
        assert.deepEqual([held.recent.count, held.recent.minutes, held.after.minutes], [1, 10, 10]);
        assert.ok(held.entryId);

        const noCause = await client.post(`${base}resolve/`, {});
        assert.equal(noCause.status, 400);
        assert.match(noCause.body.detail, /needs a root cause/);
        assert.doesNotMatch(noCause.body.detail, /verification/);
        const resolved = await client.post(`${base}resolve/`, {
          rootCause: 'checkout refactor dropped the cart id',
        });
        assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
        assert.equal(resolved.body.status, 'resolved');
        assert.equal(resolved.body.rootCause, 'checkout refactor dropped the cart id');
        assert.equal(resolved.body.resolutionOverride, null);
        assert.equal(resolved.body.milestones.resolved, new Date(T0 + 21 * MINUTE + 5_000).toISOString());
        const last = (await client.get(`${base}timeline/`)).body.at(-1);
        assert.deepEqual([last.kind, last.data.verification.verdict], ['resolved', 'resolved']);
        assert.equal((await client.post(`${base}resolve/`, {})).status, 409);
        // Resolved: the drafts promise no resolution time and no further update.
        const after = (await client.get(`${base}updates/draft/?audience=business`)).body.text;
        assert.match(after, /The problem is resolved\./);
        assert.doesNotMatch(after, /Expected resolution|Next update/);
        const afterTechnical = (await client.get(`${base}updates/draft/`)).body.text;
        assert.doesNotMatch(afterTechnical, /Next update/);
      } finally {
        await ok.close();
        await failing.close();
      }
    });

    test('verification says worse when errors rise after the mitigation; the ticker records the change', async () => {
      const { web, client, base } = await spikingIncident();
      clock.set(T0 + 10 * MINUTE);
      await client.post(`${base}mitigations/`, { type: 'feature_flag', description: 'new checkout off' });
      clock.set(T0 + 13 * MINUTE);
      for (let m = 10; m < 13; m++) await burst(web, 'Checkout failed', T0 + m * MINUTE, 5);
      const worse = (await client.get(`${base}verification/`)).body;
      assert.equal(worse.verdict, 'worse', JSON.stringify(worse));
      assert.deepEqual([worse.after.count, worse.after.minutes, worse.afterPerMinute], [15, 3, 5]);
      assert.equal(worse.duringPerMinute, 3);
      await tickIncidents(t.server.ctx);
      const entries = (await client.get(`${base}timeline/`)).body.filter(
        (e: any) => e.kind === 'verification',
      );
      assert.deepEqual(
        entries.map((e: any) => e.data.verdict),
        ['worse'],
      );
      assert.match(entries[0].body, /worse — 5\.00\/min over the last 3 min vs baseline 0\.10\/min/);
      const refused = await client.post(`${base}resolve/`, { rootCause: 'flag did not cover the API path' });
      assert.match(refused.body.detail, /the verdict is worse/);
      assert.doesNotMatch(refused.body.detail, /root cause/);
    });

    test("a rollback in one environment is judged by that environment's events, not staging's", async () => {
      clock.set(T0 + 10 * MINUTE);
      const s = await t.setup();
      const send = (environment: string, at: number) =>
        sendEvent(t, s, { message: 'Cart lost', environment, timestamp: at / 1000 });
      for (let m = 55; m >= 5; m -= 10) {
        await send('production', T0 - m * MINUTE);
        await send('staging', T0 - m * MINUTE + 1000);
      }
      for (let m = 0; m < 10; m++) {
        for (let i = 0; i < 3; i++) await send('production', T0 + m * MINUTE + 1000 + i * 1000);
        await send('staging', T0 + m * MINUTE + 30_000);
      }
      const client = apiClient(t.url, s.token);
      const issue = (await client.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body[0];
      const declared = await client.post(`/api/0/organizations/${s.org}/incidents/`, {
        issues: [issue.shortId],
        severity: 'P1',
        firstEventAt: T0,
      });
      const base = `/api/0/organizations/${s.org}/incidents/${declared.body.ref}/`;
      clock.set(T0 + 10 * MINUTE + 30_000);
      const rollback = await client.post(`${base}mitigations/`, {
        type: 'rollback',
        release: 'web@1',
        environment: 'production',
      });
      assert.equal(rollback.status, 201, JSON.stringify(rollback.body));
      // Staging still runs the bad release: one error a minute there, none in production.
      for (let m = 11; m < 22; m++) await send('staging', T0 + m * MINUTE + 30_000);
      clock.set(T0 + 22 * MINUTE);
      const verified = (await client.get(`${base}verification/`)).body;
      assert.equal(verified.environment, 'production');
      assert.equal(verified.verdict, 'resolved', JSON.stringify(verified));
      assert.deepEqual([verified.baseline.count, verified.during.count, verified.recent.count], [6, 30, 0]);
      // A mitigation without an environment counts them all, staging included.
      clock.set(T0 + 22 * MINUTE + 10_000);
      await client.post(`${base}mitigations/`, {
        type: 'feature_flag',
        description: 'cart v2 off everywhere',
      });
      clock.set(T0 + 24 * MINUTE);
      const everywhere = (await client.get(`${base}verification/`)).body;
      assert.equal(everywhere.environment, null);
      assert.equal(everywhere.baseline.count, 12);
    });

    test('resolve with an override is recorded; a race of two resolves gives one 409', async () => {
      const { client, base } = await spikingIncident();
      const bad = await client.post(`${base}resolve/`, { override: '' });
      assert.equal(bad.status, 400);
      const race = await Promise.all([
        client.post(`${base}resolve/`, { override: 'customer confirmed; errors are from a retired client' }),
        client.post(`${base}resolve/`, { override: 'same, from the other tab' }),
      ]);
      assert.deepEqual(race.map((r) => r.status).sort(), [200, 409]);
      const won = race.find((r) => r.status === 200)!.body;
      assert.match(won.resolutionOverride, /customer confirmed|other tab/);
      // Resolved straight from triage: that move out of triage is its acknowledgement.
      assert.equal(won.milestones.acknowledged, won.milestones.resolved);
      const entry = (await client.get(`${base}timeline/`)).body.find((e: any) => e.kind === 'resolved');
      assert.equal(entry.data.override, won.resolutionOverride);
      assert.equal(entry.data.missing.length, 2);
      assert.equal(entry.data.verification.verdict, 'no_mitigation');
      const late = await client.post(`${base}mitigations/`, { type: 'other' });
      assert.equal(late.status, 409);
      assert.match(late.body.detail, /resolved; reopen it/);

      // Reopened much later, it owes updates again on its severity's cadence (P1: 15 minutes).
      clock.set(T0 + 5 * 60 * MINUTE);
      const reopened = await client.put(base, { status: 'investigating' });
      assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
      assert.equal(reopened.body.update.nextDue, new Date(T0 + 5 * 60 * MINUTE + 15 * MINUTE).toISOString());
      assert.equal(reopened.body.update.overdue, false);
      // A mitigation is never dated before the impact began (the first event, T0 here).
      const early = await client.post(`${base}mitigations/`, {
        type: 'other',
        occurredAt: new Date(T0 - MINUTE).toISOString(),
      });
      assert.equal(early.status, 400);
      assert.match(early.body.detail, /before the incident began \(2026-11-22T09:00:00\.000Z\)/);
    });

    test('status updates posted at once get distinct numbers, none refused', async () => {
      const { client, base } = await spikingIncident();
      const posted = await Promise.all(
        [1, 2, 3, 4, 5].map((n) => client.post(`${base}updates/`, { impact: 'x', message: `race ${n}` })),
      );
      assert.deepEqual(
        posted.map((p) => p.status),
        [201, 201, 201, 201, 201],
      );
      const numbers = (await client.get(`${base}updates/`)).body.map((u: any) => u.data.number);
      assert.deepEqual(numbers.sort(), [1, 2, 3, 4, 5]);
    });

    test("drafts count the users of the mitigation's environment, not staging's testers", async () => {
      const { web, client, base } = await spikingIncident();
      for (let i = 0; i < 3; i++)
        await sendEvent(t, web, {
          message: 'Checkout failed',
          environment: 'staging',
          timestamp: (T0 + 5 * MINUTE + i * 1000) / 1000,
          user: { id: `tester-${i}` },
        });
      const before = (await client.get(`${base}updates/draft/?audience=business`)).body;
      assert.match(before.text, /about 5 users have run into errors so far \(/);
      assert.equal(before.basedOn.environment, null);
      clock.set(T0 + 10 * MINUTE + 30_000);
      const rollback = await client.post(`${base}mitigations/`, {
        type: 'rollback',
        release: 'web@1.4.1',
        environment: 'production',
        runHooks: false,
      });
      assert.equal(rollback.status, 201, JSON.stringify(rollback.body));
      const after = (await client.get(`${base}updates/draft/?audience=business`)).body;
      assert.match(after.text, /about 2 users have run into errors so far in production/);
      assert.equal(after.basedOn.environment, 'production');
    });

    test('status updates: structured entries, cadence, overdue, drafts with the real numbers; scopes', async () => {
      const { web, client, webIssue, apiIssue, base } = await spikingIncident();
      clock.set(T0 + 12 * MINUTE);
      assert.equal((await client.post(`${base}updates/`, { message: 'x' })).status, 400);
      assert.equal(
        (await client.post(`${base}updates/`, { impact: 'x', message: 'y', audience: 'all' })).status,
        400,
      );
      const posted = await client.post(`${base}updates/`, {
        impact: 'Checkout fails for some users',
        message: 'Investigating a spike after the 09:00 deploy',
        audience: 'stakeholder',
      });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      assert.equal(posted.body.kind, 'status_update');
      assert.deepEqual(
        [posted.body.data.status, posted.body.data.audience, posted.body.data.nextUpdateDue],
        ['triage', 'stakeholder', new Date(T0 + 27 * MINUTE).toISOString()],
      );
      const shown = (await client.get(base)).body;
      assert.deepEqual(
        [shown.update.lastAt, shown.update.nextDue, shown.update.overdue],
        [new Date(T0 + 12 * MINUTE).toISOString(), new Date(T0 + 27 * MINUTE).toISOString(), false],
      );
      clock.set(T0 + 28 * MINUTE);
      assert.equal((await client.get(base)).body.update.overdue, true);
      const custom = await client.post(`${base}updates/`, {
        impact: 'x',
        message: 'y',
        status: 'identified',
        nextUpdateInMinutes: 5,
      });
      assert.equal(custom.body.data.nextUpdateDue, new Date(T0 + 33 * MINUTE).toISOString());
      assert.equal(custom.body.data.status, 'identified');
      assert.equal((await client.get(base)).body.update.overdue, false);
      assert.equal((await client.get(`${base}updates/`)).body.length, 2);

      // Draft before any mitigation: rates over the last 10 complete minutes (T0+18..28: none).
      const technical = (await client.get(`${base}updates/draft/?audience=technical`)).body;
      assert.equal(technical.audience, 'technical');
      assert.match(
        technical.text,
        new RegExp(
          `${webIssue.shortId} Checkout failed .*0\\.00/min now, 0\\.71/min since the start, baseline 0\\.10/min; 2 users`,
        ),
      );
      assert.match(technical.text, new RegExp(`${apiIssue.shortId} Payment timeout`));
      assert.match(technical.text, /Mitigation: none recorded yet\./);
      assert.match(technical.text, /Next update by 09:33 UTC\./);
      assert.equal(technical.basedOn.durationMinutes, 28);
      const business = (await client.get(`${base}updates/draft/?audience=business&eta=within the hour`)).body;
      // user-0 hit both issues: two users affected, not the sum of the issues' counts (2 + 1).
      assert.match(business.text, /about 2 users have run into errors/);
      assert.match(business.text, /not yet contained/);
      assert.match(business.text, /Expected resolution: within the hour\./);
      // Plain words for stakeholders: no per-minute rates, no issue list.
      assert.doesNotMatch(business.text, /\/min|Payment timeout/);
      assert.equal((await client.get(`${base}updates/draft/?audience=poetry`)).status, 400);

      const reader = apiClient(
        t.url,
        await mintToken(t, { org: web.org, scopes: ['incident:read', 'project:read'] }),
      );
      assert.equal((await reader.get(`${base}verification/`)).status, 200);
      assert.equal((await reader.get(`${base}updates/draft/`)).status, 200);
      for (const path of ['mitigations/', 'verify/', 'resolve/', 'updates/']) {
        assert.equal(
          (await reader.post(`${base}${path}`, { type: 'other', impact: 'x', message: 'y' })).status,
          403,
          path,
        );
      }
      const hookPath = `/api/0/projects/${web.org}/${web.project}/mitigation-hook/`;
      assert.equal((await reader.get(hookPath)).body.configured, false);
      assert.equal((await reader.put(hookPath, { url: 'http://127.0.0.1:9/x' })).status, 403);
      const outsider = apiClient(t.url, (await t.setup()).token);
      assert.equal((await outsider.get(`${base}verification/`)).status, 404);
      assert.equal((await outsider.get(hookPath)).status, 404);
    });
  });
}
