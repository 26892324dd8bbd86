import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setupProject } from '../src/projects/setup-project.ts';
import { openStore } from '../src/store/open-store.ts';
import { createPostgresTestDatabase, type TestDatabase } from '../src/store/test-databases.ts';
import { type CliServer, spawnServe } from './helpers/cli-server.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { apiClient } from './helpers/issues.ts';

const ISSUES = 8;

async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Two real `firebreak serve` processes on one PostgreSQL database, both evaluating alert rules
 * and sending notifications five times a second: every firing, incident and webhook happens once.
 */
describe('alerts on two nodes sharing PostgreSQL', () => {
  let database: TestDatabase;
  let nodes: CliServer[] = [];
  let receiver: HttpReceiver;
  before(async () => {
    database = await createPostgresTestDatabase();
    receiver = await startHttpReceiver();
    const env = { FIREBREAK_DETECTOR_TICK_SECONDS: '0.2', FIREBREAK_NOTIFY_TICK_SECONDS: '0.2' };
    nodes = await Promise.all([
      spawnServe(['--database', database.url], env),
      spawnServe(['--database', database.url], env),
    ]);
  });
  after(async () => {
    for (const node of nodes) node.child.kill('SIGTERM');
    await Promise.all(nodes.map((node) => node.exited));
    await receiver.close();
    await database.cleanup();
  });

  test('each new issue fires each rule once: one firing, one incident, one webhook per rule', async () => {
    const store = await openStore(database.url);
    const s = await setupProject(
      { store, now: Date.now(), publicUrl: nodes[0].url },
      { org: 'two-nodes', project: 'web' },
    );
    await store.close();
    const [a, b] = nodes.map((node) => apiClient(node.url, s.token));
    const target = await a.post(`/api/0/organizations/${s.org}/notification-targets/`, {
      kind: 'webhook',
      name: 'ops',
      url: `${receiver.url}/hook`,
    });
    assert.equal(target.status, 201, JSON.stringify(target.body));
    const rule = await b.post(`/api/0/projects/${s.org}/${s.project}/alert-rules/`, {
      name: 'Declare and page',
      detector: 'new_issue',
      actions: [
        { type: 'declare_incident', severity: 'P2' },
        { type: 'notify', targets: [target.body.id] },
      ],
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));

    // Distinct errors sent alternately to both nodes.
    for (let i = 0; i < ISSUES; i++) {
      const node = nodes[i % 2];
      const url = `${node.url}/api/${s.projectId}/envelope/?sentry_key=${new URL(s.dsn).username}`;
      const event = {
        level: 'error',
        timestamp: Date.now() / 1000,
        exception: {
          values: [{ type: `Error${i}`, value: 'boom', stacktrace: { frames: [{ function: `f${i}` }] } }],
        },
      };
      const response = await fetch(url, {
        method: 'POST',
        body: `{}\n{"type":"event"}\n${JSON.stringify(event)}`,
      });
      assert.equal(response.status, 200);
    }

    const history = `/api/0/organizations/${s.org}/alert-firings/?per_page=100`;
    const done = (list: any[]) => list.length >= 2 * ISSUES && list.every((f) => f.status === 'done');
    await until('the firings', async () => (await a.get(history)).body, done);
    await receiver.waitFor(2 * ISSUES, 30_000);
    // Both nodes keep evaluating and sending for a while longer: nothing more may happen.
    await new Promise((resolve) => setTimeout(resolve, 2000));

    const firings = (await b.get(history)).body;
    const byRule = (name: string) => firings.filter((f: any) => f.rule.name === name);
    assert.equal(byRule('Declare and page').length, ISSUES);
    assert.equal(byRule('New issue').length, ISSUES);
    assert.equal(new Set(firings.map((f: any) => f.key)).size, firings.length);
    assert.equal(new Set(byRule('Declare and page').map((f: any) => f.issueId)).size, ISSUES);

    const incidents = (await a.get(`/api/0/organizations/${s.org}/incidents/?per_page=100`)).body;
    assert.equal(incidents.length, ISSUES);
    assert.equal(new Set(incidents.flatMap((i: any) => i.issues.map((issue: any) => issue.id))).size, ISSUES);
    const declared = byRule('Declare and page').map((f: any) => f.actions[0]);
    assert.ok(declared.every((d: any) => d.declared === true));

    assert.equal(receiver.requests.length, 2 * ISSUES);
    const deliveries = new Set(receiver.requests.map((r) => r.json.notification.dedupeKey));
    assert.equal(deliveries.size, 2 * ISSUES);
    assert.ok(receiver.requests.every((r) => r.json.action === 'triggered' && r.json.data.issue.shortId));
  });
});
