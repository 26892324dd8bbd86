import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { tickEscalations } from '../src/escalation/ticker.ts';
import { tickDeliveries } from '../src/notify/worker.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { apiClient, memberWithToken, mintToken } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const MINUTE = 60_000;

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`escalation policies and escalation steps (${backend})`, () => {
    let t: TestServer;
    let receiver: HttpReceiver;
    const clock = manualClock(T0);
    before(async () => {
      t = await startQuietServer(backend, clock);
      receiver = await startHttpReceiver();
    });
    after(async () => {
      await receiver.close();
      await t.close();
    });
    /** One escalation pass, then one delivery pass: what the receiver got in between. */
    const tick = async () => {
      const before = receiver.requests.length;
      const steps = await tickEscalations(t.server.ctx);
      await tickDeliveries(t.server.ctx);
      return { ...steps, received: receiver.requests.slice(before) };
    };

    async function orgWithPolicy() {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const targets = `/api/0/organizations/${s.org}/notification-targets/`;
      const l1 = (
        await api.post(targets, { kind: 'webhook', name: 'on-call', url: `${receiver.url}/${s.org}/l1` })
      ).body;
      const l2 = (
        await api.post(targets, { kind: 'webhook', name: 'manager', url: `${receiver.url}/${s.org}/l2` })
      ).body;
      const policy = await api.put(`/api/0/organizations/${s.org}/escalation-policies/P2/`, {
        levels: [{ targets: [l1.id] }, { targets: [Number(l2.id)], ackMinutes: 10 }],
      });
      assert.equal(policy.status, 200, JSON.stringify(policy.body));
      const incidents = `/api/0/organizations/${s.org}/incidents/`;
      return { s, api, l1, l2, policy: policy.body, incidents };
    }

    test('policies per severity: defaults from the severity table, targets checked, org:write to change', async () => {
      const { s, api, l1, policy } = await orgWithPolicy();
      // P2's response target is 15 minutes: the first level's deadline when none is given.
      assert.deepEqual(policy.levels, [
        { level: 1, targets: [l1.id], ackMinutes: 15 },
        { level: 2, targets: [String(Number(l1.id) + 1)], ackMinutes: 10 },
      ]);
      const base = `/api/0/organizations/${s.org}/escalation-policies/`;
      const all = (await api.get(base)).body;
      assert.deepEqual(
        all.map((p: any) => [p.severity, p.configured, p.defaultAckMinutes, p.escalation]),
        [
          ['P1', false, 5, 'VP + on-call chain'],
          ['P2', true, 15, 'Manager + team lead'],
          ['P3', false, 60, 'Team lead'],
          ['P4', false, 1440, 'Ticket'],
        ],
      );
      assert.equal((await api.put(`${base}SEV9/`, { levels: [{ targets: [l1.id] }] })).status, 400);
      const unknown = await api.put(`${base}P1/`, { levels: [{ targets: ['999999'] }] });
      assert.equal(unknown.status, 400);
      assert.match(unknown.body.detail, /999999 is not a notification target/);
      assert.equal((await api.put(`${base}P1/`, { levels: [] })).status, 400);
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['alerts:read'] }));
      assert.equal((await reader.get(`${base}P2/`)).status, 200);
      const ci = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['org:read'] }));
      assert.equal((await ci.get(`${base}P2/`)).status, 403, 'bare org:read, as every CI token holds');
      assert.equal((await reader.put(`${base}P1/`, { levels: [{ targets: [l1.id] }] })).status, 403);
      assert.equal((await api.delete(`${base}P3/`)).status, 404);
    });

    test('unacknowledged: level 1, then level 2 after its deadline, then exhausted — each once, on the timeline', async () => {
      clock.set(T0);
      const { s, api, incidents } = await orgWithPolicy();
      const declared = await api.post(incidents, { title: 'Checkout failing', severity: 'P2' });
      assert.equal(declared.status, 201);
      const ref = declared.body.ref;
      let pass = await tick();
      assert.deepEqual(
        pass.received.map((r) => r.path),
        [`/${s.org}/l1`],
      );
      const page = pass.received[0].json;
      assert.equal(page.action, 'escalated');
      assert.equal(page.data.incident.ref, ref);
      assert.equal(page.data.escalation.level, 1);
      assert.match(
        page.notification.title,
        new RegExp(`^${ref} \\(P2\\) needs acknowledgement: Checkout failing$`),
      );
      assert.deepEqual((await tick()).received, [], 'nothing twice');

      clock.advance(15 * MINUTE - 1);
      assert.deepEqual((await tick()).received, []);
      clock.advance(1);
      pass = await tick();
      assert.deepEqual(
        pass.received.map((r) => r.path),
        [`/${s.org}/l2`],
      );
      assert.match(
        pass.received[0].json.notification.text,
        /^Level 1 did not acknowledge within 15 minutes\. Level 2 of 2/,
      );
      clock.advance(10 * MINUTE);
      pass = await tick();
      assert.deepEqual(pass.received, [], 'exhaustion notifies nobody new');
      clock.advance(60 * MINUTE);
      await tick();

      const entries = (await api.get(`${incidents}${ref}/timeline/`)).body.filter(
        (e: any) => e.kind === 'escalation',
      );
      assert.deepEqual(
        entries.map((e: any) => [e.body, e.actor]),
        [
          ['Escalation: notified level 1 (on-call); acknowledge within 15 minutes', 'system'],
          ['Escalated to level 2 (manager): level 1 did not acknowledge within 15 minutes', 'system'],
          [
            'Escalation exhausted: nobody acknowledged within 10 minutes of level 2, the last level',
            'system',
          ],
        ],
      );
      // The status update fell due meanwhile (P2: 30 minutes): one reminder besides the two pages.
      const log = (await api.get(`/api/0/organizations/${s.org}/notification-deliveries/`)).body;
      assert.deepEqual(
        log.map((d: any) => [d.kind, d.status]),
        [
          ['reminder', 'sent'],
          ['escalation', 'sent'],
          ['escalation', 'sent'],
        ],
      );
    });

    test('acknowledging stops the escalation; an incident acknowledged before the first pass is never paged', async () => {
      clock.set(T0);
      const { api, incidents } = await orgWithPolicy();
      const ref = (await api.post(incidents, { title: 'Queue backlog', severity: 'P2' })).body.ref;
      assert.equal((await tick()).received.length, 1);
      clock.advance(5 * MINUTE);
      assert.equal((await api.post(`${incidents}${ref}/acknowledge/`, {})).status, 200);
      assert.deepEqual((await tick()).received, []);
      clock.advance(2 * 60 * MINUTE);
      const later = (await tick()).received.map((r) => r.json.action);
      assert.deepEqual(
        later,
        ['update_overdue'],
        'no level 2 after an acknowledgement, only the update reminder',
      );
      const entries = (await api.get(`${incidents}${ref}/timeline/`)).body.filter(
        (e: any) => e.kind === 'escalation',
      );
      assert.deepEqual(
        entries.map((e: any) => e.body),
        [
          'Escalation: notified level 1 (on-call); acknowledge within 15 minutes',
          'Escalation stopped: acknowledged at level 1',
        ],
      );
      assert.equal(entries[1].occurredAt, new Date(T0 + 5 * MINUTE).toISOString());

      const quick = (await api.post(incidents, { title: 'Already on it', severity: 'P2' })).body.ref;
      await api.post(`${incidents}${quick}/acknowledge/`, {});
      assert.deepEqual((await tick()).received, []);
      // Declared already out of triage: someone is on it, so it counts as acknowledged.
      const onIt = await api.post(incidents, {
        title: 'Investigating',
        severity: 'P2',
        status: 'investigating',
      });
      assert.equal(
        onIt.body.milestones.acknowledged,
        new Date(T0 + 5 * MINUTE + 2 * 60 * MINUTE).toISOString(),
      );
      assert.deepEqual((await tick()).received, [], 'declared investigating: never paged');
      const p3 = (await api.post(incidents, { title: 'No policy', severity: 'P3' })).body.ref;
      assert.deepEqual((await tick()).received, [], 'P3 has no policy');
      assert.deepEqual(
        (await api.get(`${incidents}${p3}/timeline/`)).body.map((e: any) => e.kind),
        ['declared'],
      );
    });

    test('an overdue status update reminds the Comms Lead once per due time', async () => {
      clock.set(T0);
      const { s, api, l1, incidents } = await orgWithPolicy();
      const dana = await memberWithToken(t, s.org, 'Dana');
      const ref = (await api.post(incidents, { title: 'Payments slow', severity: 'P2' })).body.ref;
      await api.put(`${incidents}${ref}/roles/comms_lead/`, { user: dana.user.email });
      await api.post(`${incidents}${ref}/acknowledge/`, {});
      await tick();
      // P2: a status update every 30 minutes.
      clock.advance(30 * MINUTE);
      assert.deepEqual((await tick()).received, [], 'due, not yet overdue');
      clock.advance(1);
      let pass = await tick();
      assert.equal(pass.reminders, 1);
      assert.deepEqual(
        pass.received.map((r) => r.path),
        [`/${s.org}/l1`],
        'the first level, as no reminder targets are set',
      );
      const reminder = pass.received[0].json;
      assert.equal(reminder.action, 'update_overdue');
      assert.deepEqual(reminder.data.commsLead, { name: 'Dana', email: dana.user.email });
      assert.deepEqual(reminder.data.recipients, [dana.user.email]);
      assert.match(reminder.notification.text, /Dana, as Comms Lead, please post one\./);
      clock.advance(20 * MINUTE);
      assert.deepEqual((await tick()).received, [], 'once per due time');

      await api.post(`${incidents}${ref}/updates/`, {
        impact: 'Slow payments',
        message: 'Scaling up',
        nextUpdateInMinutes: 15,
      });
      clock.advance(15 * MINUTE + 1);
      pass = await tick();
      assert.equal(pass.reminders, 1);
      const entries = (await api.get(`${incidents}${ref}/timeline/`)).body.filter(
        (e: any) => e.kind === 'reminder',
      );
      assert.equal(entries.length, 2);
      assert.match(
        entries[0].body,
        /^Status update overdue since 2026-11-22T09:30:00.000Z \(Comms Lead Dana\); reminded on-call$/,
      );
      assert.equal(l1.name, 'on-call');
    });

    test('status updates and the resolution reach the update targets; without any, nobody', async () => {
      clock.set(T0);
      const { s, api, l1, l2, incidents } = await orgWithPolicy();
      const stakeholders = (
        await api.post(`/api/0/organizations/${s.org}/notification-targets/`, {
          kind: 'webhook',
          name: 'stakeholders',
          url: `${receiver.url}/${s.org}/updates`,
        })
      ).body;
      const quiet = (await api.post(incidents, { title: 'Nobody told', severity: 'P2' })).body.ref;
      await api.post(`${incidents}${quiet}/acknowledge/`, {});
      const untold = await api.post(`${incidents}${quiet}/updates/`, {
        impact: 'Some',
        message: 'Looking',
        audience: 'stakeholder',
      });
      assert.deepEqual(untold.body.data.notified, []);
      assert.deepEqual((await tick()).received, [], 'no update targets: nothing sent');

      const policy = await api.put(`/api/0/organizations/${s.org}/escalation-policies/P2/`, {
        levels: [{ targets: [l1.id] }, { targets: [l2.id] }],
        updateTargets: [stakeholders.id],
      });
      assert.deepEqual(policy.body.updateTargets, [stakeholders.id]);
      const ref = (await api.post(incidents, { title: 'Checkout slow', severity: 'P2' })).body.ref;
      await api.post(`${incidents}${ref}/acknowledge/`, {});
      await tick();
      const posted = await api.post(`${incidents}${ref}/updates/`, {
        impact: 'Checkout for 5% of users',
        message: 'Rolled back web@2; watching the error rate',
        audience: 'stakeholder',
      });
      assert.equal(posted.status, 201, JSON.stringify(posted.body));
      assert.deepEqual(posted.body.data.notified, ['stakeholders']);
      const [update, ...more] = (await tick()).received;
      assert.deepEqual(more, []);
      assert.equal(update.path, `/${s.org}/updates`);
      assert.equal(update.json.action, 'status_update');
      assert.equal(update.json.data.incident.ref, ref);
      assert.equal(update.json.data.update.impact, 'Checkout for 5% of users');
      assert.match(update.json.notification.text, /^Impact: Checkout for 5% of users\n\nRolled back web@2/);
      // An internal update (the default) stays on the timeline: the stakeholders are not told.
      const internal = await api.post(`${incidents}${ref}/updates/`, {
        impact: 'Checkout for 5% of users',
        message: 'Suspect the cart cache; not for the wider audience yet',
      });
      assert.equal(internal.status, 201, JSON.stringify(internal.body));
      assert.deepEqual([internal.body.data.audience, internal.body.data.notified], ['internal', []]);
      assert.deepEqual((await tick()).received, []);

      const resolved = await api.post(`${incidents}${ref}/resolve/`, {
        rootCause: 'web@2 dropped the cart',
        override: 'verified by hand',
      });
      assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
      const [announcement] = (await tick()).received;
      assert.equal(announcement.json.action, 'resolved');
      assert.equal(announcement.json.data.resolution.rootCause, 'web@2 dropped the cart');
      assert.match(announcement.json.notification.title, new RegExp(`^${ref} resolved: Checkout slow`));

      // A disabled target gets nothing, and the update does not claim it was told.
      await api.put(`/api/0/organizations/${s.org}/notification-targets/${stakeholders.id}/`, {
        enabled: false,
      });
      const other = (await api.post(incidents, { title: 'Search slow', severity: 'P2' })).body.ref;
      await api.post(`${incidents}${other}/acknowledge/`, {});
      await tick();
      const unheard = await api.post(`${incidents}${other}/updates/`, {
        impact: 'Search',
        message: 'Looking',
        audience: 'stakeholder',
      });
      assert.deepEqual(unheard.body.data.notified, []);
      assert.deepEqual((await tick()).received, []);
    });

    test('page: people are paged now, acknowledged or not, by level or by target, on the timeline', async () => {
      clock.set(T0);
      const { s, api, l1, l2, incidents } = await orgWithPolicy();
      const ref = (await api.post(incidents, { title: 'Rollback failed', severity: 'P2' })).body.ref;
      await tick();
      await api.post(`${incidents}${ref}/acknowledge/`, {});
      const paged = await api.post(`${incidents}${ref}/page/`, {
        message: 'Rollback failed: deploy tool down',
      });
      assert.equal(paged.status, 201, JSON.stringify(paged.body));
      assert.equal(paged.body.body, 'Paged level 2 (manager): Rollback failed: deploy tool down');
      const [page] = (await tick()).received;
      assert.equal(page.path, `/${s.org}/l2`);
      assert.equal(page.json.action, 'escalated');
      assert.equal(page.json.data.page.message, 'Rollback failed: deploy tool down');

      const byTarget = await api.post(`${incidents}${ref}/page/`, {
        message: 'All hands',
        targets: [l1.id, l2.id],
      });
      assert.equal(byTarget.status, 201);
      assert.deepEqual((await tick()).received.map((r) => r.path).sort(), [`/${s.org}/l1`, `/${s.org}/l2`]);
      const refused = [
        await api.post(`${incidents}${ref}/page/`, {}),
        await api.post(`${incidents}${ref}/page/`, { message: 'x', level: 3 }),
        await api.post(`${incidents}${ref}/page/`, { message: 'x', targets: ['999999'] }),
        await api.post(`${incidents}${ref}/page/`, { message: 'x', level: 1, targets: [l1.id] }),
      ];
      assert.deepEqual(
        refused.map((r) => r.status),
        [400, 400, 400, 400],
      );
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
      assert.equal((await reader.post(`${incidents}${ref}/page/`, { message: 'x' })).status, 403);
      // Disabled targets are not paged, nor named as paged; when none is left, nobody is paged.
      await api.put(`/api/0/organizations/${s.org}/notification-targets/${l2.id}/`, { enabled: false });
      const partly = await api.post(`${incidents}${ref}/page/`, {
        message: 'Anyone?',
        targets: [l1.id, l2.id],
      });
      assert.equal(partly.body.body, 'Paged on-call: Anyone?');
      assert.deepEqual(
        (await tick()).received.map((r) => r.path),
        [`/${s.org}/l1`],
      );
      const nobody = await api.post(`${incidents}${ref}/page/`, { message: 'x', targets: [l2.id] });
      assert.equal(nobody.status, 409);
      assert.match(nobody.body.detail, /nobody would be paged: manager is disabled/);
      const p3 = (await api.post(incidents, { title: 'No policy', severity: 'P3' })).body.ref;
      const noPolicy = await api.post(`${incidents}${p3}/page/`, { message: 'x' });
      assert.equal(noPolicy.status, 400);
      assert.match(noPolicy.body.detail, /P3 has no escalation policy to page from/);
    });

    test('a raised severity starts again at its own level 1; unreachable targets are not named as told, nor deletable while used', async () => {
      clock.set(T0);
      const { s, api, l1, l2, incidents } = await orgWithPolicy();
      const targets = `/api/0/organizations/${s.org}/notification-targets/`;
      const vp = (
        await api.post(targets, { kind: 'webhook', name: 'vp', url: `${receiver.url}/${s.org}/vp` })
      ).body;
      const gone = (
        await api.post(targets, { kind: 'webhook', name: 'gone', url: `${receiver.url}/${s.org}/gone` })
      ).body;
      const policies = `/api/0/organizations/${s.org}/escalation-policies/`;
      const p1 = await api.put(`${policies}P1/`, {
        levels: [{ targets: [vp.id, l2.id, gone.id], ackMinutes: 5 }, { targets: [l1.id] }],
      });
      assert.equal(p1.status, 200, JSON.stringify(p1.body));
      // A target a policy names cannot be deleted; disabling it is the way to silence it.
      const refused = await api.delete(`${targets}${gone.id}/`);
      assert.equal(refused.status, 409);
      assert.match(refused.body.detail, /gone is used by the P1 escalation policy/);
      await api.put(`${targets}${l2.id}/`, { enabled: false });

      const ref = (await api.post(incidents, { title: 'Slow checkout', severity: 'P2' })).body.ref;
      assert.deepEqual(
        (await tick()).received.map((r) => r.path),
        [`/${s.org}/l1`],
      );
      clock.advance(2 * MINUTE);
      assert.equal((await api.put(`${incidents}${ref}/`, { severity: 'P1' })).status, 200);
      const raised = await tick();
      assert.deepEqual(
        raised.received.map((r) => r.path).sort(),
        [`/${s.org}/gone`, `/${s.org}/vp`],
        "P1's level 1, its enabled targets only",
      );
      assert.match(
        raised.received[0].json.notification.text,
        /^Severity raised from P2 to P1\. Level 1 of 2/,
      );
      assert.deepEqual((await tick()).received, [], 'nothing twice');
      // Lowered again, it carries on where it was: nobody is paged for the change.
      assert.equal((await api.put(`${incidents}${ref}/`, { severity: 'P2' })).status, 200);
      assert.deepEqual((await tick()).received, []);

      const entries = (await api.get(`${incidents}${ref}/timeline/`)).body.filter(
        (e: any) => e.kind === 'escalation',
      );
      assert.deepEqual(
        entries.map((e: any) => e.body),
        [
          'Escalation: notified level 1 (on-call); acknowledge within 15 minutes',
          'Severity raised from P2 to P1: notified level 1 (vp, gone); acknowledge within 5 minutes; not reachable: manager (disabled)',
        ],
      );

      // A level whose every target is disabled tells nobody, says so, and is due at once.
      await api.put(`${targets}${vp.id}/`, { enabled: false });
      await api.put(`${targets}${gone.id}/`, { enabled: false });
      const p1Again = (await api.post(incidents, { title: 'Down', severity: 'P1' })).body.ref;
      const skipped = await tick();
      assert.deepEqual(skipped.received, []);
      assert.deepEqual(
        (await tick()).received.map((r) => r.path),
        [`/${s.org}/l1`],
        'level 2 at the next tick',
      );
      const p1Entries = (await api.get(`${incidents}${p1Again}/timeline/`)).body.filter(
        (e: any) => e.kind === 'escalation',
      );
      assert.match(
        p1Entries[0].body,
        /^Escalation: level 1 has nobody to notify \(vp \(disabled\), manager \(disabled\), gone \(disabled\)\); level 2 is next$/,
      );
    });
  });
}
