import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { apiClient, mintToken } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`notification targets API (${backend})`, () => {
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

    test('create, read, change and delete targets; secrets are never returned', async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const base = `/api/0/organizations/${s.org}/notification-targets/`;
      const hook = await api.post(base, {
        kind: 'webhook',
        name: 'ops',
        url: `${receiver.url}/hook`,
        secret: 'hook-s3cret',
      });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      assert.deepEqual(
        { ...hook.body, id: undefined, dateCreated: undefined, dateUpdated: undefined },
        {
          id: undefined,
          name: 'ops',
          kind: 'webhook',
          enabled: true,
          url: `${receiver.url}/hook`,
          hasSecret: true,
          dateCreated: undefined,
          dateUpdated: undefined,
        },
      );
      const slack = await api.post(base, {
        kind: 'slack',
        name: 'chat',
        url: `${receiver.url}/services/T1/B2/tok3n`,
      });
      assert.equal(slack.status, 201);
      assert.equal(slack.body.host, new URL(receiver.url).host);
      const mail = await api.post(base, {
        kind: 'email',
        name: 'pager',
        host: '127.0.0.1',
        username: 'firebreak',
        password: 'smtp-pa55',
        from: 'firebreak@example.com',
        to: ['oncall@example.com'],
      });
      assert.equal(mail.status, 201, JSON.stringify(mail.body));
      assert.deepEqual([mail.body.port, mail.body.tls, mail.body.hasPassword], [587, 'starttls', true]);
      const listed = await api.get(base);
      assert.deepEqual(
        listed.body.map((x: any) => x.name),
        ['ops', 'chat', 'pager'],
      );
      for (const secret of ['hook-s3cret', 'tok3n', 'smtp-pa55']) {
        assert.ok(!JSON.stringify(listed.body).includes(secret), `${secret} must not be shown`);
      }

      const changed = await api.put(`${base}${hook.body.id}/`, { name: 'ops-hook', secret: null });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual(
        [changed.body.name, changed.body.hasSecret, changed.body.url],
        ['ops-hook', false, `${receiver.url}/hook`],
      );
      // A new TLS mode would send the stored password differently: it must be given again.
      assert.equal((await api.put(`${base}${mail.body.id}/`, { tls: 'tls' })).status, 400);
      const tls = await api.put(`${base}${mail.body.id}/`, { tls: 'tls', password: 'smtp-pa55' });
      assert.deepEqual([tls.body.port, tls.body.hasPassword], [465, true]);
      assert.equal((await api.put(`${base}${mail.body.id}/`, { kind: 'slack' })).status, 400);
      assert.equal((await api.put(`${base}${slack.body.id}/`, { name: 'pager' })).status, 409);

      assert.equal((await api.delete(`${base}${slack.body.id}/`)).status, 204);
      assert.equal((await api.get(`${base}${slack.body.id}/`)).status, 404);
    });

    test('bad input is a 400 naming the field; scopes and other organisations are enforced', async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const base = `/api/0/organizations/${s.org}/notification-targets/`;
      const cases: [unknown, RegExp][] = [
        [{ kind: 'pager', name: 'x' }, /kind/],
        [{ kind: 'webhook', name: 'x', url: 'ftp://example.com/x' }, /url/],
        [{ kind: 'webhook', name: 'x', url: 'http://127.0.0.1/x', extra: 1 }, /extra|unrecognized/i],
        [{ kind: 'email', name: 'x', host: '127.0.0.1', from: 'a@b.c', to: [] }, /to/],
        [{ kind: 'email', name: 'x', host: 'smtp\r\nRCPT', from: 'a@b.c', to: ['x@y.z'] }, /host/],
        [{ kind: 'email', name: 'x', host: '127.0.0.1', from: 'not an address', to: ['x@y.z'] }, /from/],
      ];
      for (const [body, detail] of cases) {
        const answer = await api.post(base, body);
        assert.equal(answer.status, 400, JSON.stringify(body));
        assert.match(answer.body.detail, detail);
      }
      const made = await api.post(base, { kind: 'webhook', name: 'ops', url: `${receiver.url}/x` });
      assert.equal(
        (await api.post(base, { kind: 'webhook', name: 'ops', url: `${receiver.url}/y` })).status,
        409,
      );
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['org:read'] }));
      assert.equal(
        (await reader.get(base)).status,
        403,
        'org:read alone, as every CI token holds, is not enough',
      );
      const alerts = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['alerts:write'] }));
      assert.equal((await alerts.get(base)).status, 200, 'alert rule authors see the targets');
      assert.equal(
        (await alerts.post(base, { kind: 'webhook', name: 'a', url: `${receiver.url}/a` })).status,
        403,
      );
      assert.equal(
        (await reader.post(base, { kind: 'webhook', name: 'r', url: `${receiver.url}/r` })).status,
        403,
      );
      assert.equal((await reader.post(`${base}${made.body.id}/test/`, {})).status, 403);
      const stranger = await t.setup();
      const strangerApi = apiClient(t.url, stranger.token);
      assert.equal((await strangerApi.get(`${base}${made.body.id}/`)).status, 404);
      const theirs = `/api/0/organizations/${stranger.org}/notification-targets/${made.body.id}/`;
      assert.equal((await strangerApi.get(theirs)).status, 404);
      assert.equal((await api.get(`${base}abc/`)).status, 404);
    });

    test('a test send goes out at once and is in the delivery log with its attempt', async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const base = `/api/0/organizations/${s.org}/notification-targets/`;
      const hook = (await api.post(base, { kind: 'webhook', name: 'ops', url: `${receiver.url}/test-hook` }))
        .body;
      const before = receiver.requests.length;
      const sent = await api.post(`${base}${hook.id}/test/`, {});
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      assert.equal(sent.body.status, 'sent');
      assert.deepEqual(
        sent.body.attempts.map((a: any) => [a.attempt, a.ok, a.statusCode]),
        [[1, true, 200]],
      );
      assert.equal(receiver.requests.length, before + 1);
      const request = receiver.requests.at(-1)!;
      assert.equal(request.path, '/test-hook');
      assert.equal(request.json.action, 'test');
      assert.equal(request.json.notification.kind, 'test');
      assert.equal(request.headers['x-firebreak-signature'], undefined, 'no secret, no signature');
      const log = await api.get(`/api/0/organizations/${s.org}/notification-deliveries/?target=${hook.id}`);
      assert.deepEqual(
        log.body.map((d: any) => [d.id, d.kind, d.status]),
        [[sent.body.id, 'test', 'sent']],
      );
      assert.equal(
        (await api.get(`/api/0/organizations/${s.org}/notification-deliveries/?status=bogus`)).status,
        400,
      );
    });
  });
}
