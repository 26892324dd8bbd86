import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openStore } from './open-store.ts';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Store } from './types.ts';
import type { Delivery, NewDelivery } from './types-notifications.ts';

const T0 = Date.UTC(2026, 0, 1);
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

const delivery = (targetId: number, dedupeKey: string, extra: Partial<NewDelivery> = {}): NewDelivery => ({
  targetId,
  kind: 'alert',
  title: 'Spike in WEB-1',
  text: 'TypeError: boom',
  url: 'http://firebreak.test/issues/1/',
  data: { issue: { id: '1' } },
  dedupeKey,
  ...extra,
});

for (const backend of testBackends()) {
  describe(`store contract, notifications: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    /**
     * Another node: a second store on the same PostgreSQL database. SQLite's cross-process lock is
     * BEGIN IMMEDIATE, whose busy wait blocks the thread, so two stores in one process would
     * wait on each other; there the racing calls share one store (and its write lock).
     */
    let other: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
      other = backend.name === 'postgres' ? await openStore(opened.url) : store;
    });
    after(async () => {
      if (other !== store) await other?.close();
      await opened?.cleanup();
    });

    async function orgWithTarget(kind: 'webhook' | 'email' = 'webhook') {
      const org = await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 });
      const target = await store.notificationTargets.create({
        orgId: org.id,
        name: uniq('hook'),
        kind,
        config: { url: 'http://127.0.0.1:9/hook' },
        secrets: { secret: 's3cret' },
        enabled: true,
        now: T0,
      });
      return { org, target };
    }

    test('targets: per organisation, secrets kept apart, partial updates, delete', async () => {
      const { org, target } = await orgWithTarget();
      const { org: otherOrg } = await orgWithTarget();
      assert.deepEqual(target.secrets, { secret: 's3cret' });
      assert.equal(await store.notificationTargets.get(otherOrg.id, target.id), null);
      const renamed = await store.notificationTargets.update(org.id, target.id, {
        name: 'ops',
        enabled: false,
        now: T0 + 1,
      });
      assert.equal(renamed?.name, 'ops');
      assert.equal(renamed?.enabled, false);
      assert.deepEqual(renamed?.config, target.config);
      assert.deepEqual(renamed?.secrets, target.secrets);
      assert.equal(
        await store.notificationTargets.update(otherOrg.id, target.id, { name: 'x', now: T0 }),
        null,
      );
      assert.deepEqual(
        (await store.notificationTargets.list(org.id)).map((t) => t.name),
        ['ops'],
      );
      await assert.rejects(
        store.notificationTargets.create({ ...target, name: 'ops', orgId: org.id, now: T0 }),
        'names are unique per organisation',
      );
      assert.equal(await store.notificationTargets.delete(otherOrg.id, target.id), false);
      assert.equal(await store.notificationTargets.delete(org.id, target.id), true);
      assert.equal(await store.notificationTargets.getById(target.id), null);
    });

    test('enqueue: once per (target, dedupe key), from any node; foreign and disabled targets skipped', async () => {
      const { org, target } = await orgWithTarget();
      const { target: foreign } = await orgWithTarget();
      const both = await Promise.all([
        store.notificationDeliveries.enqueue(org.id, [delivery(target.id, 'k1')], T0),
        other.notificationDeliveries.enqueue(org.id, [delivery(target.id, 'k1')], T0),
      ]);
      assert.deepEqual(both.map((ids) => ids.length).sort(), [0, 1]);
      assert.deepEqual(
        await store.notificationDeliveries.enqueue(org.id, [delivery(foreign.id, 'k1')], T0),
        [],
      );
      await store.notificationTargets.update(org.id, target.id, { enabled: false, now: T0 });
      assert.deepEqual(
        await store.notificationDeliveries.enqueue(org.id, [delivery(target.id, 'k2')], T0),
        [],
      );
      const test1 = delivery(target.id, 'test:1', { kind: 'test' });
      assert.equal((await store.notificationDeliveries.enqueue(org.id, [test1], T0)).length, 1);
      const listed = await store.notificationDeliveries.list({ orgId: org.id, limit: 10, offset: 0 });
      assert.deepEqual(
        listed.map((d) => [d.dedupeKey, d.status, d.attempts]),
        [
          ['test:1', 'pending', 0],
          ['k1', 'pending', 0],
        ],
      );
      assert.deepEqual(listed[1].data, { issue: { id: '1' } });
      // One named delivery (a test send) is claimed once, while pending only.
      const [one, two] = await Promise.all([
        store.notificationDeliveries.claim(listed[0].id, T0, T0 + 60_000),
        other.notificationDeliveries.claim(listed[0].id, T0, T0 + 60_000),
      ]);
      assert.equal([one, two].filter(Boolean).length, 1);
      assert.equal((one ?? two)?.status, 'sending');
      assert.equal(await store.notificationDeliveries.claim(999_999_999, T0, T0), null);
    });

    test('racing claims never hand one delivery to two nodes', async () => {
      for (let round = 0; round < 5; round++) {
        const { org, target } = await orgWithTarget();
        const keys = Array.from({ length: 30 }, (_, i) => `race${i}`);
        await store.notificationDeliveries.enqueue(
          org.id,
          keys.map((k) => delivery(target.id, k)),
          T0,
        );
        // Claimed earlier than any other test's rows can be due: only this round's compete.
        const claims = await Promise.all(
          [store, other, store, other].map((s) =>
            s.notificationDeliveries.claimDue({ now: T0, limit: 10, leaseUntil: T0 + 1 }),
          ),
        );
        const ids = claims
          .flat()
          .filter((d) => d.orgId === org.id)
          .map((d) => d.id);
        assert.equal(new Set(ids).size, ids.length, `round ${round}: no delivery claimed twice`);
        for (const d of claims.flat()) {
          await store.notificationDeliveries.finish(
            d.id,
            d.attempts,
            {
              attempt: {
                attempt: d.attempts,
                ok: true,
                statusCode: 200,
                detail: 'ok',
                excerpt: null,
                startedAt: T0,
                finishedAt: T0,
              },
              status: 'sent',
              nextAttemptAt: T0,
            },
            T0,
          );
        }
      }
    });

    test('claims: each due delivery goes to one node; a lost lease is taken over; finish is conditional', async () => {
      const { org, target } = await orgWithTarget();
      const keys = Array.from({ length: 12 }, (_, i) => `c${i}`);
      await store.notificationDeliveries.enqueue(
        org.id,
        keys.map((k) => delivery(target.id, k)),
        T0,
      );
      const mine = (list: Delivery[]) => list.filter((d) => d.orgId === org.id);
      const [a, b] = await Promise.all([
        store.notificationDeliveries.claimDue({ now: T0, limit: 8, leaseUntil: T0 + 60_000 }),
        other.notificationDeliveries.claimDue({ now: T0, limit: 8, leaseUntil: T0 + 60_000 }),
      ]);
      const claimed = [...mine(a), ...mine(b)].map((d) => d.dedupeKey).sort();
      assert.equal(new Set(claimed).size, claimed.length, 'no delivery claimed twice');
      const first = [...mine(a), ...mine(b)][0];
      assert.equal(first.status, 'sending');
      assert.equal(first.attempts, 1);
      // Nothing else is due until the leases expire; then the unfinished ones come back.
      const rest = await store.notificationDeliveries.claimDue({
        now: T0,
        limit: 50,
        leaseUntil: T0 + 60_000,
      });
      assert.equal(new Set([...claimed, ...mine(rest).map((d) => d.dedupeKey)]).size, 12);
      const retaken = mine(
        await other.notificationDeliveries.claimDue({
          now: T0 + 60_000,
          limit: 50,
          leaseUntil: T0 + 120_000,
        }),
      );
      assert.ok(retaken.some((d) => d.id === first.id && d.attempts === 2));
      const outcome = {
        attempt: {
          attempt: 1,
          ok: true,
          statusCode: 200,
          detail: 'ok',
          excerpt: null,
          startedAt: T0,
          finishedAt: T0 + 5,
        },
        status: 'sent' as const,
        nextAttemptAt: T0,
      };
      assert.equal(
        await store.notificationDeliveries.finish(first.id, 1, outcome, T0 + 5),
        false,
        'stale claim',
      );
      assert.equal(await store.notificationDeliveries.finish(first.id, 2, outcome, T0 + 60_005), true);
      assert.equal(await store.notificationDeliveries.finish(first.id, 2, outcome, T0 + 60_005), false);
      const done = await store.notificationDeliveries.get(org.id, first.id);
      assert.equal(done?.status, 'sent');
      assert.equal(done?.sentAt, T0 + 60_005);
      assert.equal(done?.leaseUntil, null);
      const failing = retaken.find((d) => d.id !== first.id)!;
      await store.notificationDeliveries.finish(
        failing.id,
        failing.attempts,
        {
          attempt: {
            attempt: 2,
            ok: false,
            statusCode: 503,
            detail: 'busy',
            excerpt: 'upstream: db down',
            startedAt: T0,
            finishedAt: T0,
          },
          status: 'pending',
          nextAttemptAt: T0 + 500_000,
        },
        T0 + 60_001,
      );
      const retry = await store.notificationDeliveries.get(org.id, failing.id);
      assert.deepEqual(
        [retry?.status, retry?.lastError, retry?.nextAttemptAt],
        ['pending', 'busy', T0 + 500_000],
      );
      const attempts = await store.notificationDeliveries.attempts([first.id, failing.id]);
      assert.deepEqual(
        attempts.map((x) => [x.deliveryId, x.attempt, x.ok, x.statusCode, x.detail, x.excerpt]),
        [
          [first.id, 2, true, 200, 'ok', null],
          [failing.id, 2, false, 503, 'busy', 'upstream: db down'],
        ].sort((x, y) => Number(x[0]) - Number(y[0])),
      );
      const failed = await store.notificationDeliveries.list({
        orgId: org.id,
        status: 'pending',
        limit: 50,
        offset: 0,
      });
      assert.ok(failed.some((d) => d.id === failing.id));
      assert.ok(!failed.some((d) => d.id === first.id));
    });

    test('escalation steps apply once from racing nodes, with their deliveries and timeline entry', async () => {
      const { org, target } = await orgWithTarget();
      await store.escalationPolicies.put({
        orgId: org.id,
        severity: 'P1',
        levels: [{ targetIds: [target.id], ackMinutes: 5 }],
        reminderTargetIds: [],
        updateTargetIds: [target.id],
        updatedAt: T0,
      });
      const stored = await store.escalationPolicies.get(org.id, 'P1');
      assert.deepEqual(stored?.levels, [{ targetIds: [target.id], ackMinutes: 5 }]);
      assert.deepEqual(stored?.updateTargetIds, [target.id]);
      assert.equal((await store.escalationPolicies.list(org.id)).length, 1);
      const incident = await store.incidents.create({
        orgId: org.id,
        title: 'Down',
        severity: 'P1',
        issueIds: [],
        createdBy: 'user:1',
        now: T0,
        entries: [],
      });
      const start = (s: Store) =>
        s.escalations.step({
          incidentId: incident.id,
          orgId: org.id,
          from: null,
          to: { level: 0, status: 'active', levelStartedAt: T0, severity: 'P1' },
          deliveries: [delivery(target.id, `escalation:${incident.id}:0`, { kind: 'escalation' })],
          entry: {
            kind: 'escalation',
            body: 'Notified level 1',
            actor: 'system',
            occurredAt: T0,
            dedupeKey: 'e0',
          },
          now: T0,
        });
      assert.deepEqual((await Promise.all([start(store), start(other)])).sort(), [false, true]);
      const fromOtherSeverity = await store.escalations.step({
        incidentId: incident.id,
        orgId: org.id,
        from: { level: 0, status: 'active', severity: 'P2' },
        to: { level: 0, status: 'active', levelStartedAt: T0, severity: 'P1' },
        deliveries: [],
        entry: { kind: 'escalation', body: 'Restarted', actor: 'system', occurredAt: T0, dedupeKey: 'e-p2' },
        now: T0,
      });
      assert.equal(fromOtherSeverity, false, 'a step read under another severity does not apply');
      const next = (s: Store) =>
        s.escalations.step({
          incidentId: incident.id,
          orgId: org.id,
          from: { level: 0, status: 'active', severity: 'P1' },
          to: { level: 0, status: 'exhausted', levelStartedAt: T0, severity: 'P1' },
          deliveries: [],
          entry: { kind: 'escalation', body: 'Exhausted', actor: 'system', occurredAt: T0, dedupeKey: 'e1' },
          now: T0 + 1,
        });
      assert.deepEqual((await Promise.all([next(store), next(other)])).sort(), [false, true]);
      const state = await store.escalations.get(incident.id);
      assert.deepEqual([state?.level, state?.status, state?.severity], [0, 'exhausted', 'P1']);
      const remind = (s: Store) =>
        s.escalations.notifyOnce({
          incidentId: incident.id,
          orgId: org.id,
          entry: { kind: 'reminder', body: 'Update due', actor: 'system', occurredAt: T0, dedupeKey: 'r:1' },
          deliveries: [delivery(target.id, `reminder:${incident.id}:1`, { kind: 'reminder' })],
          now: T0,
        });
      assert.deepEqual((await Promise.all([remind(store), remind(other)])).sort(), [false, true]);
      assert.deepEqual(
        (await store.timeline.list(incident.id)).map((e) => e.body),
        ['Notified level 1', 'Exhausted', 'Update due'],
      );
      const queued = await store.notificationDeliveries.list({
        orgId: org.id,
        targetId: target.id,
        limit: 10,
        offset: 0,
      });
      assert.deepEqual(queued.map((d) => d.kind).sort(), ['escalation', 'reminder']);
      assert.equal(await store.escalationPolicies.delete(org.id, 'P1'), true);
      assert.equal(await store.escalationPolicies.get(org.id, 'P1'), null);
    });
  });
}
