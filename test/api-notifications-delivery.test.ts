import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { enqueueNotification } from '../src/notify/enqueue.ts';
import { tickDeliveries } from '../src/notify/worker.ts';
import { closedPort } from './helpers/check-proxy.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { apiClient } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const SECOND = 1000;
const ALERT_DATA = {
  event: { event_id: 'abc123', title: 'TypeError: cart is undefined', level: 'error' },
  triggered_rule: 'Checkout errors',
};

describe('notification delivery: signed webhooks, Slack messages, retries and the log', () => {
  let t: TestServer;
  let receiver: HttpReceiver;
  const clock = manualClock(T0);
  before(async () => {
    t = await startQuietServer('sqlite', clock, { notifyMaxAttempts: 3, notifyRetryBaseSeconds: 30 });
    receiver = await startHttpReceiver();
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });
  const ctx = () => t.server.ctx;
  /** Same random draw every time: delays are exactly 3/4 of their step. */
  const tick = () => tickDeliveries(ctx(), { random: () => 0.5 });

  async function orgWith(targets: Record<string, unknown>[]) {
    const s = await t.setup();
    const api = apiClient(t.url, s.token);
    const made = [];
    for (const body of targets) {
      const answer = await api.post(`/api/0/organizations/${s.org}/notification-targets/`, body);
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      made.push(answer.body);
    }
    const org = await ctx().store.orgs.getBySlug(s.org);
    return {
      s,
      api,
      orgId: org!.id,
      targets: made,
      log: `/api/0/organizations/${s.org}/notification-deliveries/`,
    };
  }

  test('an alert is enqueued once per dedupe key and arrives signed, shaped like a Sentry issue alert', async () => {
    const { api, orgId, targets, log } = await orgWith([
      { kind: 'webhook', name: 'ops', url: `${receiver.url}/alerts`, secret: 'hook-s3cret' },
    ]);
    const request = {
      orgId,
      targetIds: [Number(targets[0].id), 999_999],
      kind: 'alert' as const,
      title: 'Spike: TypeError: cart is undefined',
      text: '42 events in 5 minutes (baseline 1)',
      url: 'http://firebreak.test/issues/1/',
      data: ALERT_DATA,
      dedupeKey: 'alert:rule-1:issue-1:2026-11-22T09:00',
    };
    assert.deepEqual(await enqueueNotification(ctx(), request), { enqueued: 1 });
    assert.deepEqual(await enqueueNotification(ctx(), request), { enqueued: 0 }, 'the same key again');
    const before = receiver.requests.length;
    assert.deepEqual(await tick(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    assert.deepEqual(await tick(), { claimed: 0, sent: 0, retrying: 0, failed: 0 });
    assert.equal(receiver.requests.length, before + 1);
    const got = receiver.requests.at(-1)!;
    const signature = createHmac('sha256', 'hook-s3cret').update(got.body).digest('hex');
    assert.equal(got.headers['x-firebreak-signature'], `sha256=${signature}`);
    assert.equal(got.headers['sentry-hook-signature'], signature);
    assert.equal(got.headers['sentry-hook-resource'], 'event_alert');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.json.action, 'triggered');
    assert.deepEqual(got.json.data, ALERT_DATA);
    assert.match(got.json.installation.uuid, /^[0-9a-f-]{36}$/);
    assert.deepEqual(got.json.actor, { type: 'application', id: 'firebreak', name: 'Firebreak' });
    assert.equal(got.json.notification.title, request.title);
    const logged = (await api.get(log)).body;
    assert.equal(logged.length, 1);
    assert.equal(logged[0].status, 'sent');
    assert.equal(got.headers['x-firebreak-delivery'], logged[0].id);
    assert.deepEqual(
      logged[0].attempts.map((a: any) => [a.ok, a.statusCode]),
      [[true, 200]],
    );
  });

  test('Slack messages escape &, < and > and link the title', async () => {
    const { orgId, targets } = await orgWith([
      { kind: 'slack', name: 'chat', url: `${receiver.url}/services/T1/B2/tok3n` },
    ]);
    await enqueueNotification(ctx(), {
      orgId,
      targetIds: [Number(targets[0].id)],
      kind: 'alert',
      title: 'New issue: <script> & "cart"',
      text: 'value was <@U123> > 3',
      url: 'http://firebreak.test/issues/1/?a=1&b=2|x',
      data: ALERT_DATA,
      dedupeKey: 'slack-1',
    });
    await tick();
    const got = receiver.requests.at(-1)!;
    assert.equal(got.path, '/services/T1/B2/tok3n');
    assert.equal(got.json.text, 'Alert: New issue: &lt;script&gt; &amp; "cart"');
    assert.equal(
      got.json.blocks[0].text.text,
      '*<http://firebreak.test/issues/1/?a=1&amp;b=2%7Cx|New issue: &lt;script&gt; &amp; "cart">*',
    );
    assert.equal(got.json.blocks[1].text.text, 'value was &lt;@U123&gt; &gt; 3');
    assert.equal(got.json.blocks[0].text.type, 'mrkdwn');
  });

  test('transient failures are retried with backoff until sent; permanent ones fail at once', async () => {
    const { api, orgId, targets, log } = await orgWith([
      { kind: 'webhook', name: 'flaky', url: `${receiver.url}/flaky` },
      { kind: 'webhook', name: 'gone', url: `${receiver.url}/gone` },
      { kind: 'webhook', name: 'moved', url: `${receiver.url}/moved` },
    ]);
    const [flaky, gone, moved] = targets.map((x) => Number(x.id));
    const send = (targetId: number, key: string) =>
      enqueueNotification(ctx(), {
        orgId,
        targetIds: [targetId],
        kind: 'alert',
        title: key,
        text: '',
        data: {},
        dedupeKey: key,
      });
    await send(flaky, 'flaky');
    receiver.answers.push({ status: 503, body: 'busy' }, { status: 500, body: 'oops' });
    assert.deepEqual(await tick(), { claimed: 1, sent: 0, retrying: 1, failed: 0 });
    let [entry] = (await api.get(`${log}?target=${flaky}`)).body;
    // First retry: 3/4 of the 30 s step; nothing is due before then.
    assert.equal(entry.nextAttemptAt, new Date(clock.now() + 22.5 * SECOND).toISOString());
    // The last error is the status; the reply is an attempt's excerpt, for who may change the target.
    assert.equal(entry.lastError, `${new URL(receiver.url).host} answered 503`);
    assert.equal(entry.attempts[0].excerpt, 'busy');
    clock.advance(22 * SECOND);
    assert.equal((await tick()).claimed, 0);
    clock.advance(1 * SECOND);
    assert.deepEqual(await tick(), { claimed: 1, sent: 0, retrying: 1, failed: 0 });
    [entry] = (await api.get(`${log}?target=${flaky}`)).body;
    assert.equal(entry.nextAttemptAt, new Date(clock.now() + 45 * SECOND).toISOString(), 'the step doubles');
    clock.advance(45 * SECOND);
    assert.deepEqual(await tick(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    [entry] = (await api.get(`${log}?target=${flaky}`)).body;
    assert.equal(entry.status, 'sent');
    assert.deepEqual(
      entry.attempts.map((a: any) => a.statusCode),
      [503, 500, 200],
    );

    await send(gone, 'gone');
    await send(moved, 'moved');
    receiver.answers.push({ status: 404, body: 'no such hook' });
    const beforeMoved = receiver.requests.length;
    receiver.answers.push({ status: 302, headers: { Location: `${receiver.url}/elsewhere` } });
    assert.deepEqual(await tick(), { claimed: 2, sent: 0, retrying: 0, failed: 2 });
    assert.equal(receiver.requests.length, beforeMoved + 2, 'the redirect was not followed');
    assert.ok(!receiver.requests.some((r) => r.path === '/elsewhere'));
    const failed = (await api.get(`${log}?status=failed`)).body;
    assert.deepEqual(failed.map((d: any) => d.attempts[0].statusCode).sort(), [302, 404]);
    assert.match(
      failed.find((d: any) => d.target === String(moved)).lastError,
      /redirect \(302\), not followed/,
    );
  });

  test('an unreachable receiver is tried notifyMaxAttempts times, then the delivery fails', async () => {
    const port = await closedPort();
    const { api, orgId, targets, log } = await orgWith([
      { kind: 'webhook', name: 'down', url: `http://127.0.0.1:${port}/hook`, secret: 'never-shown' },
    ]);
    await enqueueNotification(ctx(), {
      orgId,
      targetIds: [Number(targets[0].id)],
      kind: 'alert',
      title: 'x',
      text: '',
      data: {},
      dedupeKey: 'down',
    });
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal((await tick()).claimed, 1, `attempt ${attempt}`);
      clock.advance(3600 * SECOND);
    }
    assert.equal((await tick()).claimed, 0);
    const [entry] = (await api.get(log)).body;
    assert.equal(entry.status, 'failed');
    assert.equal(entry.attemptCount, 3);
    assert.equal(entry.nextAttemptAt, null);
    for (const attempt of entry.attempts) {
      assert.equal(attempt.statusCode, null);
      assert.match(attempt.detail, new RegExp(`127.0.0.1:${port} could not be reached \\(ECONNREFUSED\\)`));
    }
    assert.ok(!JSON.stringify(entry).includes('never-shown'));
    const pending = (await api.get(`${log}?status=pending`)).body;
    assert.deepEqual(pending, []);
  });
});
