import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient } from './helpers/issues.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** Inputs found by probing a live server: each was a 500, a stall or a quiet loss before. */
describe('ingest: hostile and odd input', () => {
  let t: TestServer;
  let setup: SetupResult;
  let envelopeUrl: string;
  before(async () => {
    t = await startTestServer({ settings: { requestTimeoutSeconds: 1 } });
    setup = await t.setup();
    const key = new URL(setup.dsn).username;
    envelopeUrl = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${key}&sentry_version=7`;
  });
  after(() => t.close());

  async function post(body: string | Buffer, headers: Record<string, string> = {}) {
    const response = await fetch(envelopeUrl, { method: 'POST', body, headers });
    return { status: response.status, body: (await response.json()) as { detail?: string; id?: string } };
  }
  const envelope = (event: Record<string, unknown>) => `{}\n{"type":"event"}\n${JSON.stringify(event)}`;

  /** The stored event of the issue the message made, as the Web API shows it. */
  async function storedEvent(message: string) {
    const api = apiClient(t.url, setup.token);
    const issues = (await api.get(`/api/0/projects/${setup.org}/${setup.project}/issues/?query=`)).body;
    const issue = issues.find((i: { title: string }) => i.title.startsWith(message));
    assert.ok(issue, `an issue titled ${message}`);
    const latest = await api.get(`/api/0/organizations/${setup.org}/issues/${issue.id}/events/latest/`);
    assert.equal(latest.status, 200, JSON.stringify(latest.body));
    return latest.body;
  }

  test('a header line past 64 KiB is refused before parsing; so are more than 1,000 items', async () => {
    // 30 KB of gzip that decodes to a 10 MB header line: parsing it held the event loop for seconds.
    const header = `{"x":[${'{},'.repeat(3_500_000)}{}]}`;
    const bomb = gzipSync(`${header}\n{"type":"event"}\n{"message":"big header"}`, { level: 9 });
    const refused = await post(bomb, { 'Content-Encoding': 'gzip' });
    assert.equal(refused.status, 400);
    assert.match(String(refused.body.detail), /invalid envelope header: longer than 64 KiB/);
    const itemHeader = `{"type":"event","pad":"${'x'.repeat(70_000)}"}`;
    assert.equal((await post(`{}\n${itemHeader}\n{"message":"x"}`)).status, 400);
    const many = `{}\n${'{"type":"unknown_thing"}\n\n'.repeat(1001)}`;
    const tooMany = await post(many);
    assert.equal(tooMany.status, 413);
    assert.match(String(tooMany.body.detail), /more than 1000 items/);
    assert.equal((await post(`{}\n${'{"type":"unknown_thing"}\n\n'.repeat(1000)}`)).status, 200);
  });

  test('an object whose toString is not a function is text, not a 500', async () => {
    for (const event of [
      { message: 'odd level', level: { toString: 1 } },
      { logentry: { message: 'odd param %s', params: [{ toString: 1 }] } },
      {
        message: 'odd ns_error',
        exception: {
          values: [{ type: 'E', mechanism: { type: 'x', meta: { ns_error: { domain: { toString: 1 } } } } }],
        },
      },
    ]) {
      const sent = await post(envelope(event));
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
    }
    assert.equal((await storedEvent('odd level')).level ?? 'error', 'error');
    const param = await storedEvent('odd param');
    assert.match(JSON.stringify(param), /odd param \{\\"toString\\":1\}/);
  });

  test('an event dated more than 30 days before it arrived is dated on arrival, so retention keeps it', async () => {
    const before = Date.now();
    for (const [message, extra, header] of [
      ['clock reset', { timestamp: 0 }, '{}'],
      ['far sent_at', { timestamp: Date.now() / 1000 }, '{"sent_at":"2100-01-01T00:00:00Z"}'],
    ] as const) {
      const sent = await post(`${header}\n{"type":"event"}\n${JSON.stringify({ message, ...extra })}`);
      assert.equal(sent.status, 200);
      const stored = Date.parse((await storedEvent(message)).dateCreated);
      assert.ok(stored >= before - 1000 && stored <= Date.now() + 1000, `${message}: ${stored}`);
    }
  });

  test('a backslash before "u0000" is kept as sent; a real U+0000 escape becomes U+FFFD', async () => {
    const body = '{}\n{"type":"event"}\n{"message":"path C:\\\\u0000dir and nul \\u0000 end"}';
    assert.equal((await post(body)).status, 200);
    const stored = await storedEvent('path C:');
    assert.equal(stored.message, 'path C:\\u0000dir and nul \ufffd end');
  });

  test('a lone surrogate escape is U+FFFD everywhere: payload, release, tags and search agree', async () => {
    const event = '{"message":"Lone \\ud800 surrogate","release":"web@\\udc00","tags":{"shard":"s\\ud800"}}';
    assert.equal((await post(`{}\n{"type":"event"}\n${event}`)).status, 200);
    const stored = await storedEvent('Lone \ufffd surrogate');
    assert.equal(stored.release?.version ?? stored.release, 'web@\ufffd');
    assert.ok(
      stored.tags.some((t: { key: string; value: string }) => t.key === 'shard' && t.value === 's\ufffd'),
    );
    const api = apiClient(t.url, setup.token);
    const releases = (await api.get(`/api/0/organizations/${setup.org}/releases/`)).body;
    assert.ok(
      releases.some((r: { version: string }) => r.version === 'web@\ufffd'),
      JSON.stringify(releases),
    );
    const found = await api.get(
      `/api/0/projects/${setup.org}/${setup.project}/issues/?query=${encodeURIComponent('release:"web@\ufffd"')}`,
    );
    assert.deepEqual(
      found.body.map((i: { title: string }) => i.title),
      ['Lone \ufffd surrogate'],
    );
  });

  test('a JSON request body sent as text is stored as an object with its secrets filtered', async () => {
    const login = JSON.stringify({ username: 'bob', password: 'hunter2', api_key: 'k-123' });
    const event = { message: 'Login body', request: { method: 'POST', url: 'http://x/login', data: login } };
    assert.equal((await post(envelope(event))).status, 200);
    const stored = await storedEvent('Login body');
    const request = stored.entries.find((e: { type: string }) => e.type === 'request');
    assert.deepEqual(request.data.data, { username: 'bob', password: '[Filtered]', api_key: '[Filtered]' });
    assert.doesNotMatch(JSON.stringify(stored), /hunter2|k-123/);
  });

  /** Raw bytes to the server; resolves with everything it sent back before closing. */
  function raw(request: string, keepOpen = false): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(new URL(t.url).port), '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk) => {
        answer += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(answer));
      socket.write(request);
      if (!keepOpen) socket.end();
    });
  }

  test('malformed HTTP answers {"detail"} and closes', async () => {
    const answer = await raw('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n');
    assert.match(answer, /^HTTP\/1\.1 400 /);
    assert.match(answer, /\r\n\r\n\{"detail":"malformed HTTP request"\}$/);
    const big = await raw(`GET /_health/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(big, /^HTTP\/1\.1 431 [\s\S]*\{"detail":"request headers too large"\}$/);
  });

  test('a body that stops arriving is answered 408 after the request timeout, and its memory freed', async () => {
    const path = new URL(envelopeUrl).pathname + new URL(envelopeUrl).search;
    const started = Date.now();
    const answer = await raw(
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n${'x'.repeat(1000)}`,
      true,
    );
    assert.match(answer, /^HTTP\/1\.1 408 [\s\S]*\{"detail":"request timed out"\}$/);
    assert.ok(Date.now() - started < 10_000);
    assert.equal((await post(envelope({ message: 'after the stall' }))).status, 200);
  });
});

describe('connections past FIREBREAK_MAX_CONNECTIONS', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ settings: { maxConnections: 4 } });
  });
  after(() => t.close());

  /** A connection that sent half a request head and waits; resolves once the server has it. */
  const openHalfRequest = (port: number) =>
    new Promise<net.Socket>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write('POST /api/1/envelope/ HTTP/1.1\r\nHost: x\r\n');
        resolve(socket);
      });
      socket.on('error', reject);
    });

  test('are closed at once, so the ones held cannot use up every file descriptor; the server recovers', async () => {
    const port = Number(new URL(t.url).port);
    const held = await Promise.all([1, 2, 3, 4].map(() => openHalfRequest(port)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = net.connect(port, '127.0.0.1');
    extra.on('error', () => {});
    extra.write('GET /_health/ HTTP/1.1\r\nHost: x\r\n\r\n');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      extra.on('data', (chunk) => (text += chunk));
      extra.on('close', () => resolve(text));
    });
    assert.equal(answer, '', 'the fifth connection was closed without an answer');
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await fetch(`${t.url}/_health/`)).status, 200);
  });
});
