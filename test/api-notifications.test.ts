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

    test("a receiver's reply is scrubbed, cut short, and shown only to those who may change the target", async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const base = `/api/0/organizations/${s.org}/notification-targets/`;
      const reply =
        'rejected: internal host 10.9.8.7, password=hunter2, Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc';
      const hook = (await api.post(base, { kind: 'webhook', name: 'ops', url: `${receiver.url}/reply` }))
        .body;
      receiver.answers.push({ status: 400, body: `${reply} ${'x'.repeat(3000)}` });
      const sent = await api.post(`${base}${hook.id}/test/`, {});
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      const [attempt] = sent.body.attempts;
      assert.deepEqual([attempt.ok, attempt.statusCode], [false, 400]);
      assert.match(attempt.detail, /^127\.0\.0\.1:\d+ answered 400$/);
      assert.match(attempt.excerpt, /^rejected: internal host 10\.9\.8\.7, password=\[Filtered\]/);
      assert.doesNotMatch(attempt.excerpt, /hunter2|eyJhbG/);
      assert.ok(attempt.excerpt.length <= 301, attempt.excerpt.length);
      assert.equal(sent.body.lastError, attempt.detail);
      // Alert rule authors may read the targets and the log, not change them: the status only.
      const reader = apiClient(
        t.url,
        await mintToken(t, { org: s.org, scopes: ['alerts:write', 'event:read', 'incident:read'] }),
      );
      const logPath = `/api/0/organizations/${s.org}/notification-deliveries/`;
      for (const path of [`${logPath}?target=${hook.id}`, `${logPath}${sent.body.id}/`]) {
        const shown = (await reader.get(path)).body;
        const text = JSON.stringify(shown);
        assert.match(text, /answered 400/, path);
        assert.doesNotMatch(text, /rejected|10\.9\.8\.7|hunter2|eyJhbG/, path);
      }
      const own = (await api.get(`${logPath}${sent.body.id}/`)).body;
      assert.equal(own.attempts[0].excerpt, attempt.excerpt);

      // An attempt written by an earlier version: the whole answer in its detail and lastError.
      const legacy = `127.0.0.1:9 answered 503: ${reply}`;
      const org = await t.server.ctx.store.orgs.getBySlug(s.org);
      const [id] = await t.server.ctx.store.notificationDeliveries.enqueue(
        org!.id,
        [
          {
            targetId: Number(hook.id),
            kind: 'test',
            title: 'old',
            text: 'old',
            url: null,
            data: {},
            dedupeKey: `legacy:${hook.id}`,
          },
        ],
        T0,
      );
      const claimed = await t.server.ctx.store.notificationDeliveries.claim(id, T0, T0 + 60_000);
      await t.server.ctx.store.notificationDeliveries.finish(
        id,
        claimed!.attempts,
        {
          attempt: {
            attempt: claimed!.attempts,
            ok: false,
            statusCode: 503,
            detail: legacy,
            excerpt: null,
            startedAt: T0,
            finishedAt: T0,
          },
          status: 'failed',
          nextAttemptAt: T0,
        },
        T0,
      );
      const old = (await reader.get(`${logPath}${id}/`)).body;
      assert.deepEqual(
        [old.lastError, old.attempts[0].detail, old.attempts[0].excerpt],
        ['127.0.0.1:9 answered 503', '127.0.0.1:9 answered 503', null],
      );
      const oldOwn = (await api.get(`${logPath}${id}/`)).body;
      assert.match(oldOwn.attempts[0].excerpt, /^rejected: internal host 10\.9\.8\.7, password=\[Filtered\]/);
    });
  });
}
