import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { enqueueNotification } from '../src/notify/enqueue.ts';
import { tickDeliveries } from '../src/notify/worker.ts';
import { apiClient } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';
import { type SmtpSink, startSmtpSink } from './helpers/smtp-sink.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const LOGIN = { user: 'firebreak', pass: 'smtp-pa55word' };

describe('email notifications over SMTP to a local sink', () => {
  let t: TestServer;
  let sink: SmtpSink;
  let tlsSink: SmtpSink;
  const clock = manualClock(T0);
  before(async () => {
    t = await startQuietServer('sqlite', clock, { notifyTimeoutSeconds: 5 });
    sink = await startSmtpSink({ login: LOGIN });
    tlsSink = await startSmtpSink({ starttls: true });
  });
  after(async () => {
    await sink.close();
    await tlsSink.close();
    await t.close();
  });
  const tick = () => tickDeliveries(t.server.ctx, { random: () => 0 });
  /** The plain sink, logged in: what most tests here send through. */
  const loginOverPlainSmtp = () => ({
    port: sink.port,
    tls: 'none',
    username: LOGIN.user,
    password: LOGIN.pass,
  });

  async function emailTarget(fields: Record<string, unknown>) {
    const s = await t.setup();
    const api = apiClient(t.url, s.token);
    const made = await api.post(`/api/0/organizations/${s.org}/notification-targets/`, {
      kind: 'email',
      name: 'pager',
      host: '127.0.0.1',
      from: 'firebreak@example.com',
      to: ['oncall@example.com', 'lead@example.com'],
      ...fields,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const orgId = (await t.server.ctx.store.orgs.getBySlug(s.org))!.id;
    const send = (
      dedupeKey: string,
      title = 'Spike: TypeError: cart is undefined',
      extra: { kind?: 'alert' | 'reminder'; data?: Record<string, unknown> } = {},
    ) =>
      enqueueNotification(t.server.ctx, {
        orgId,
        targetIds: [Number(made.body.id)],
        kind: extra.kind ?? 'alert',
        title,
        text: '42 events in 5 minutes.\n.\nA line with a lone dot above.',
        url: 'http://firebreak.test/organizations/acme/issues/1/',
        data: extra.data ?? {},
        dedupeKey,
      });
    const log = async () => (await api.get(`/api/0/organizations/${s.org}/notification-deliveries/`)).body;
    const change = (body: Record<string, unknown>) =>
      api.put(`/api/0/organizations/${s.org}/notification-targets/${made.body.id}/`, body);
    return { send, log, change };
  }

  test('a mail is sent with login: envelope, subject, body and the delivery id', async () => {
    const { send, log } = await emailTarget(loginOverPlainSmtp());
    await send('mail-1', 'Spike:\r\nBcc: victim@example.com');
    assert.deepEqual(await tick(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    const mail = sink.mails.at(-1)!;
    assert.equal(mail.user, LOGIN.user);
    assert.equal(mail.from, 'firebreak@example.com');
    assert.deepEqual(mail.to, ['oncall@example.com', 'lead@example.com']);
    assert.equal(mail.headers.subject, '[Firebreak] Spike: Bcc: victim@example.com', 'no header injection');
    assert.equal(mail.headers.bcc, undefined);
    assert.match(mail.body, /42 events in 5 minutes\./);
    assert.match(mail.body, /A line with a lone dot above\./);
    assert.match(mail.body, /http:\/\/firebreak\.test\/organizations\/acme\/issues\/1\//);
    const [entry] = await log();
    assert.equal(mail.headers['x-firebreak-delivery'], entry.id);
    assert.equal(entry.status, 'sent');
    assert.equal(entry.attempts[0].statusCode, 250);
    assert.equal(entry.attempts[0].detail, '127.0.0.1 accepted for 2 of 2 recipients');
    assert.match(entry.attempts[0].excerpt, /^250/);
  });

  test('a reminder also goes to the people it names (the Comms Lead); an alert cannot add recipients', async () => {
    const { send } = await emailTarget(loginOverPlainSmtp());
    const data = { recipients: ['dana@example.com', 'not an address'] };
    await send('reminder-1', 'INC-1 status update overdue', { kind: 'reminder', data });
    await send('alert-2', 'Spike', { kind: 'alert', data });
    assert.deepEqual(await tick(), { claimed: 2, sent: 2, retrying: 0, failed: 0 });
    const [reminder, alert] = sink.mails
      .slice(-2)
      .sort((a, b) => (a.headers.subject < b.headers.subject ? -1 : 1));
    assert.deepEqual(reminder.to, ['oncall@example.com', 'lead@example.com', 'dana@example.com']);
    assert.deepEqual(alert.to, ['oncall@example.com', 'lead@example.com']);
  });

  test('a refused login fails at once; a deferred recipient is retried; the password never shows', async () => {
    const wrong = await emailTarget({ ...loginOverPlainSmtp(), password: 'wrong-pa55' });
    await wrong.send('mail-2');
    assert.deepEqual(await tick(), { claimed: 1, sent: 0, retrying: 0, failed: 1 });
    const [failed] = await wrong.log();
    assert.equal(failed.status, 'failed');
    assert.equal(failed.attempts[0].statusCode, 535);
    assert.match(failed.lastError, /EAUTH/);
    assert.ok(!JSON.stringify(failed).includes('wrong-pa55'));

    const deferred = await emailTarget({
      ...loginOverPlainSmtp(),
      to: ['busy@example.com'],
    });
    sink.refuse.set('busy@example.com', 451);
    await deferred.send('mail-3');
    assert.deepEqual(await tick(), { claimed: 1, sent: 0, retrying: 1, failed: 0 });
    assert.equal((await deferred.log())[0].attempts[0].statusCode, 451);
    sink.refuse.set('busy@example.com', 550);
    clock.advance(3_600_000);
    assert.deepEqual(await tick(), { claimed: 1, sent: 0, retrying: 0, failed: 1 }, 'a 5xx is final');
    sink.refuse.clear();
  });

  test('the stored password is never sent to a new host, port or TLS setting without being given again; a rename keeps TLS and port', async () => {
    const { send, change } = await emailTarget(loginOverPlainSmtp());
    for (const redirect of [
      { host: '127.0.0.2' },
      { port: sink.port + 1 },
      { tls: 'tls' },
      { tlsRejectUnauthorized: false },
    ]) {
      const refused = await change(redirect);
      assert.equal(refused.status, 400, JSON.stringify(redirect));
      assert.match(refused.body.detail, /needs the password again/);
    }
    // Nothing changed: the mail still goes, with its login, where it went.
    await send('kept-1');
    assert.deepEqual(await tick(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    assert.equal(sink.mails.at(-1)!.user, LOGIN.user);

    const renamed = await change({ name: 'pager 2', port: sink.port, to: ['oncall@example.com'] });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.hasPassword, true, 'unchanged values and other fields keep it');
    const { tls, port, tlsRejectUnauthorized } = (await change({ name: 'pager 3' })).body;
    assert.deepEqual(
      { tls, port, tlsRejectUnauthorized },
      { tls: 'none', port: sink.port, tlsRejectUnauthorized: true },
    );
    const moved = await change({ host: '127.0.0.2', password: null });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.hasPassword, false);
    const back = await change({ host: '127.0.0.1', password: LOGIN.pass });
    assert.equal(back.body.hasPassword, true);
  });

  test('STARTTLS: upgraded when the certificate may be self-signed, refused when it must verify', async () => {
    const trusting = await emailTarget({ port: tlsSink.port, tls: 'starttls', tlsRejectUnauthorized: false });
    await trusting.send('tls-1');
    assert.deepEqual(await tick(), { claimed: 1, sent: 1, retrying: 0, failed: 0 });
    assert.equal(tlsSink.mails.at(-1)!.secure, true);

    const verifying = await emailTarget({ port: tlsSink.port, tls: 'starttls' });
    await verifying.send('tls-2');
    const result = await tick();
    assert.equal(result.sent, 0);
    const [entry] = await verifying.log();
    assert.notEqual(entry.status, 'sent');
    assert.match(entry.lastError, /certificate/i);
    assert.equal(tlsSink.mails.length, 1);
  });
});
