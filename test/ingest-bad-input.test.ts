import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** Every bad request gets a 4xx with {"detail"} and the server keeps serving good ones. */
describe('ingest rejects bad input clearly and keeps serving', () => {
  let t: TestServer;
  let setup: SetupResult;
  let key: string;
  let envelopeUrl: string;
  before(async () => {
    t = await startTestServer();
    setup = await t.setup();
    key = new URL(setup.dsn).username;
    envelopeUrl = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${key}&sentry_version=7`;
  });
  after(() => t.close());

  const event = (message: string) => JSON.stringify({ message, level: 'error' });
  const envelope = (payload: string, header = '{}') => `${header}\n{"type":"event"}\n${payload}`;

  async function post(url: string, body: string | Buffer, headers: Record<string, string> = {}) {
    const response = await fetch(url, { method: 'POST', body, headers });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  async function expectRejected(
    result: Promise<{ status: number; body: any }>,
    status: number,
    detail: RegExp,
  ): Promise<void> {
    const { status: got, body } = await result;
    assert.equal(got, status, JSON.stringify(body));
    assert.match(body.detail, detail);
    // The server still takes a good event afterwards.
    const ok = await post(envelopeUrl, envelope(event('still alive')));
    assert.equal(ok.status, 200);
    assert.match(ok.body.id, /^[0-9a-f]{32}$/);
  }

  test('missing authentication → 401', () =>
    expectRejected(
      post(`${t.url}/api/${setup.projectId}/envelope/`, envelope(event('x'))),
      401,
      /authorization/,
    ));

  test('unknown key → 403', () =>
    expectRejected(
      post(`${t.url}/api/${setup.projectId}/envelope/?sentry_key=${'0'.repeat(32)}`, envelope(event('x'))),
      403,
      /unknown public key/,
    ));

  test('malformed key → 401, refused before the body is read', async () => {
    const res = await post(
      `${t.url}/api/${setup.projectId}/envelope/?sentry_key=short`,
      envelope(event('x')),
    );
    assert.equal(res.status, 401);
    assert.match(res.body.detail, /invalid public key/);
  });

  test('an unknown key is refused from the headers alone: the connection is closed, not drained', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    const res = await post(`${t.url}/api/${setup.projectId}/envelope/?sentry_key=${'0'.repeat(32)}`, bomb, {
      'Content-Encoding': 'gzip',
    });
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('connection'), 'close');
    assert.equal(res.headers.get('x-sentry-error'), 'unknown public key');
  });

  test('unknown item types are accepted and counted as "unknown", whatever their name; an empty sessions item is invalid', async () => {
    const other = await t.setup();
    const url = `${t.url}/api/${other.projectId}/envelope/?sentry_key=${new URL(other.dsn).username}`;
    const weird = JSON.stringify({ type: 'x'.repeat(3000) });
    const res = await post(url, `{}\n${weird}\n{}\n{"type":"sessions"}\n{"aggregates":[]}`);
    assert.equal(res.status, 200);
    await t.server.ctx.committer.drain();
    const totals = await t.server.ctx.store.outcomes.totals(Number(other.projectId), 0);
    assert.deepEqual(
      totals.map((o) => [o.itemType, o.outcome, o.count]),
      [
        ['sessions', 'invalid', 1],
        ['unknown', 'accepted', 1],
      ],
    );
  });

  test('an envelope refused with a 400 counts none of its items as accepted', async () => {
    const other = await t.setup();
    const url = `${t.url}/api/${other.projectId}/envelope/?sentry_key=${new URL(other.dsn).username}`;
    const sid = 'a'.repeat(32);
    const session = JSON.stringify({
      sid,
      init: true,
      started: new Date().toISOString(),
      attrs: { release: 'web@1' },
    });
    const res = await post(
      url,
      `{}\n{"type":"check_in"}\n{"check_in_id":"x"}\n{"type":"session"}\n${session}\n{"type":"event"}\n{bad json`,
    );
    assert.equal(res.status, 400);
    await t.server.ctx.committer.drain();
    assert.deepEqual(await t.server.ctx.store.outcomes.totals(Number(other.projectId), 0), []);
  });

  test('disabled key → 403', async () => {
    const other = await t.setup();
    const store = t.server.ctx.store;
    const [otherKey] = await store.keys.listByProject(Number(other.projectId));
    await store.keys.update(otherKey.id, { isActive: false });
    await expectRejected(
      post(
        `${t.url}/api/${other.projectId}/envelope/?sentry_key=${otherKey.publicKey}`,
        envelope(event('x')),
      ),
      403,
      /disabled/,
    );
  });

  test("another project's key → 403", async () => {
    const other = await t.setup();
    await expectRejected(
      post(`${t.url}/api/${other.projectId}/envelope/?sentry_key=${key}`, envelope(event('x'))),
      403,
      /does not belong/,
    );
  });

  test('malformed envelope header → 400', () =>
    expectRejected(post(envelopeUrl, '{not json\n{"type":"event"}\n{}'), 400, /header/));

  test('item length past the body → 400', () =>
    expectRejected(post(envelopeUrl, '{}\n{"type":"event","length":5000}\n{"message":"x"}'), 400, /.+/));

  test('invalid JSON event → 400', () =>
    expectRejected(post(envelopeUrl, envelope('{"message": ')), 400, /invalid JSON/));

  test('non-object JSON event → 400', () =>
    expectRejected(post(envelopeUrl, envelope('[1,2,3]')), 400, /JSON object/));

  test('very deep nesting → 400', () =>
    expectRejected(
      post(envelopeUrl, envelope(`{"extra":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)),
      400,
      /deep/,
    ));

  test('oversized event (over 1 MiB) → 413', () =>
    expectRejected(post(envelopeUrl, envelope(event('x'.repeat(1_100_000)))), 413, /.+/));

  test('gzip bomb → 413 without exhausting memory', async () => {
    const bomb = gzipSync(Buffer.alloc(300 * 1024 * 1024), { level: 9 });
    assert.ok(bomb.length < 1024 * 1024);
    await expectRejected(post(envelopeUrl, bomb, { 'Content-Encoding': 'gzip' }), 413, /.+/);
  });

  test('unknown content encoding → 415', () =>
    expectRejected(
      post(envelopeUrl, envelope(event('x')), { 'Content-Encoding': 'snappy' }),
      415,
      /encoding/,
    ));

  test('empty body → 400', () => expectRejected(post(envelopeUrl, ''), 400, /empty/));

  test('store endpoint: invalid JSON → 400, valid event → id', async () => {
    const storeUrl = `${t.url}/api/${setup.projectId}/store/?sentry_key=${key}&sentry_version=7`;
    await expectRejected(post(storeUrl, '{"oops"', { 'Content-Type': 'application/json' }), 400, /JSON/);
    // JSON that is not an object is named as such, not as a failed legacy (base64) decoding.
    await expectRejected(post(storeUrl, '[1,2]'), 400, /must be a JSON object/);
    await expectRejected(
      post(storeUrl, `${'['.repeat(5000)}${']'.repeat(5000)}`),
      400,
      /must be a JSON object/,
    );
    const ok = await post(storeUrl, JSON.stringify({ event_id: 'a'.repeat(32), message: 'legacy store' }), {
      'Content-Type': 'application/json',
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { id: 'a'.repeat(32) });
  });

  test('a Content-Type without a readable type/subtype is ignored, as Relay ignores it', async () => {
    const storeUrl = `${t.url}/api/${setup.projectId}/store/?sentry_key=${key}&sentry_version=7`;
    for (const contentType of ['garbage', ';', '//', 'text/plain;;;']) {
      const sent = await post(envelopeUrl, envelope(event(`typed ${contentType}`)), {
        'Content-Type': contentType,
      });
      assert.equal(sent.status, 200, `${contentType}: ${JSON.stringify(sent.body)}`);
      const stored = await post(storeUrl, event(`stored ${contentType}`), { 'Content-Type': contentType });
      assert.equal(stored.status, 200, `${contentType}: ${JSON.stringify(stored.body)}`);
    }
  });

  test('CORS preflight answers without auth, and errors carry CORS headers', async () => {
    const preflight = await fetch(envelopeUrl, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.com' },
    });
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /x-sentry-auth/);
    const denied = await post(`${t.url}/api/${setup.projectId}/envelope/`, envelope(event('x')));
    assert.equal(denied.headers.get('access-control-allow-origin'), '*');
  });

  test('per-key rate limit → 429 with Retry-After and X-Sentry-Rate-Limits', async () => {
    const limited = await t.setup();
    const store = t.server.ctx.store;
    const [limitedKey] = await store.keys.listByProject(Number(limited.projectId));
    await store.keys.update(limitedKey.id, { rateLimitCount: 2, rateLimitWindowSeconds: 3600 });
    t.server.ctx.keyCache.forget(limitedKey.publicKey);
    const url = `${t.url}/api/${limited.projectId}/envelope/?sentry_key=${limitedKey.publicKey}`;
    assert.equal((await post(url, envelope(event('one')))).status, 200);
    assert.equal((await post(url, envelope(event('two')))).status, 200);
    const third = await post(url, envelope(event('three')));
    assert.equal(third.status, 429);
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    assert.match(third.headers.get('x-sentry-rate-limits') ?? '', /^\d+:error;default;security:key$/);
    assert.match(third.body.detail, /rate limit/);

    // Only events are limited: a session in the same envelope is still taken (Relay's 429
    // "even if some items of the envelope were accepted"); the event's attachment goes with it.
    const session = JSON.stringify({
      sid: 'b'.repeat(32),
      init: true,
      started: new Date().toISOString(),
      attrs: { release: 'web@1' },
    });
    const mixed = await post(
      url,
      `{}\n{"type":"event"}\n${JSON.stringify(event('four'))}\n{"type":"session"}\n${session}\n{"type":"attachment","filename":"a.txt"}\nhello`,
    );
    assert.equal(mixed.status, 429);
    await t.server.ctx.committer.drain();
    const totals = await store.outcomes.totals(Number(limited.projectId), 0);
    assert.deepEqual(
      totals
        .filter((o) => o.itemType !== 'event' || o.outcome !== 'processed')
        .map((o) => [o.itemType, o.outcome, o.count]),
      [
        ['attachment', 'rate_limited', 1],
        ['event', 'rate_limited', 2],
        ['session', 'accepted', 1],
      ],
    );
  });

  test('every auth form is accepted: X-Sentry-Auth, Authorization: Sentry, envelope dsn header', async () => {
    const bare = `${t.url}/api/${setup.projectId}/envelope/`;
    const viaHeader = await post(bare, envelope(event('x-sentry-auth')), {
      'X-Sentry-Auth': `Sentry sentry_key=${key}, sentry_version=7, sentry_client=test/1.0`,
    });
    assert.equal(viaHeader.status, 200);
    const viaAuthorization = await post(bare, envelope(event('authorization')), {
      Authorization: `Sentry sentry_key=${key}, sentry_version=7`,
    });
    assert.equal(viaAuthorization.status, 200);
    const viaDsn = await post(bare, envelope(event('dsn header'), JSON.stringify({ dsn: setup.dsn })));
    assert.equal(viaDsn.status, 200);
    const conflicting = await post(
      `${bare}?sentry_key=${'1'.repeat(32)}`,
      envelope(event('x'), JSON.stringify({ dsn: setup.dsn })),
    );
    assert.ok(conflicting.status === 401 || conflicting.status === 403);
    const otherProject = new URL(setup.dsn);
    otherProject.pathname = '/999';
    const elsewhere = await post(bare, envelope(event('x'), JSON.stringify({ dsn: otherProject.href })));
    assert.equal(elsewhere.status, 401);
    assert.match(elsewhere.body.detail, /names another project/);
  });
});

describe('ingest memory budget: bodies held at once are bounded', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ settings: { maxInflightBytes: 64 * 1024 } });
  });
  after(() => t.close());

  test('a body past the shared budget gets 503 with Retry-After; a small one still passes', async () => {
    const setup = await t.setup();
    const url = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${new URL(setup.dsn).username}`;
    const big = `{}\n{"type":"event"}\n${JSON.stringify({ message: 'big', extra: { pad: 'x'.repeat(200 * 1024) } })}`;
    const refused = await fetch(url, { method: 'POST', body: big });
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    await refused.arrayBuffer();
    const small = await fetch(url, { method: 'POST', body: `{}\n{"type":"event"}\n{"message":"small"}` });
    assert.equal(small.status, 200);
  });
});
