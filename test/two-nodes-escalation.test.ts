import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupProject } from '../src/projects/setup-project.ts';
import { openStore } from '../src/store/open-store.ts';
import { createPostgresTestDatabase, type TestDatabase } from '../src/store/test-databases.ts';
import type { Store } from '../src/store/types.ts';
import { type CliServer, spawnServe } from './helpers/cli-server.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { apiClient } from './helpers/issues.ts';

const INCIDENTS = 12;
/** Both nodes check often, so their passes overlap and race for every step. */
const FAST = {
  FIREBREAK_NOTIFY_TICK_SECONDS: '0.1',
  FIREBREAK_ESCALATION_TICK_SECONDS: '0.1',
  FIREBREAK_INCIDENT_TICK_SECONDS: '0',
  FIREBREAK_DIGEST_WORKERS: '0',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two firebreak serve processes on one PostgreSQL', () => {
  let database: TestDatabase;
  let store: Store;
  let receiver: HttpReceiver;
  const nodes: CliServer[] = [];
  before(async () => {
    database = await createPostgresTestDatabase();
    store = await openStore(database.url);
    await store.migrate();
    receiver = await startHttpReceiver();
    // One after the other: each migrates the database on start.
    nodes.push(await spawnServe(['--database', database.url], FAST));
    nodes.push(await spawnServe(['--database', database.url], FAST));
  });
  after(async () => {
    for (const node of nodes) {
      node.child.kill('SIGTERM');
      await node.exited;
    }
    await receiver?.close();
    await store?.close();
    await database?.cleanup();
  });

  test('send each escalation step and each status-update reminder exactly once', async () => {
    const setup = await setupProject(
      { store, now: Date.now(), publicUrl: nodes[0].url },
      { org: 'acme', project: 'web' },
    );
    const [a, b] = nodes.map((node) => apiClient(node.url, setup.token));
    const targets = '/api/0/organizations/acme/notification-targets/';
    const l1 = (
      await a.post(targets, { kind: 'webhook', name: 'on-call', url: `${receiver.url}/l1`, secret: 'k' })
    ).body;
    const l2 = (await b.post(targets, { kind: 'webhook', name: 'manager', url: `${receiver.url}/l2` })).body;
    const refs: string[] = [];
    for (let i = 0; i < INCIDENTS; i++) {
      const api = i % 2 ? b : a;
      const declared = await api.post('/api/0/organizations/acme/incidents/', {
        title: `Outage ${i}`,
        severity: 'P1',
      });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      refs.push(declared.body.ref);
      // The status update is overdue right away (as if its 15 minutes had passed).
      const incident = await store.incidents.get((await store.orgs.getBySlug('acme'))!.id, i + 1);
      await store.incidents.update(incident!.id, {
        fields: { nextUpdateDueAt: Date.now() - 1000 },
        entries: [],
        now: Date.now(),
      });
    }

    // Nothing happens without a policy. Once it exists, both nodes find every incident to start
    // in the same pass, and race for every step of every incident.
    // A deadline of 0 moves on at the next pass: the whole policy runs in well under a second.
    const policy = await b.put('/api/0/organizations/acme/escalation-policies/P1/', {
      levels: [
        { targets: [l1.id], ackMinutes: 0 },
        { targets: [l2.id], ackMinutes: 0 },
      ],
    });
    assert.equal(policy.status, 200, JSON.stringify(policy.body));

    // Per incident: level 1, level 2, one reminder.
    const expected = INCIDENTS * 3;
    await receiver.waitFor(expected, 30_000);
    // Give both nodes many more passes in which a duplicate could still appear.
    await sleep(2000);
    assert.equal(receiver.requests.length, expected, 'no notification twice');
    const sent = receiver.requests.map((r) => `${r.path} ${r.json.notification.dedupeKey}`);
    assert.equal(new Set(sent).size, expected);
    assert.equal(
      receiver.requests.filter((r) => r.path === '/l1' && r.json.action === 'escalated').length,
      INCIDENTS,
    );
    assert.equal(receiver.requests.filter((r) => r.path === '/l2').length, INCIDENTS);
    assert.equal(receiver.requests.filter((r) => r.json.action === 'update_overdue').length, INCIDENTS);
    assert.ok(
      receiver.requests.filter((r) => r.path === '/l1').every((r) => r.headers['x-firebreak-signature']),
    );

    for (const ref of refs) {
      const timeline = (await a.get(`/api/0/organizations/acme/incidents/${ref}/timeline/`)).body;
      assert.deepEqual(
        timeline.filter((e: any) => e.kind === 'escalation').map((e: any) => e.data.action),
        ['notified', 'escalated', 'exhausted'],
        ref,
      );
      assert.equal(timeline.filter((e: any) => e.kind === 'reminder').length, 1, ref);
    }
    const log = (await b.get('/api/0/organizations/acme/notification-deliveries/?per_page=100')).body;
    assert.equal(log.length, expected);
    assert.ok(log.every((d: any) => d.status === 'sent' && d.attempts.length === 1));
  });
});
