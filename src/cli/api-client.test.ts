import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../app-error.ts';
import { ApiClient } from './api-client.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server whose answer each test chooses by path. */
async function startServer(): Promise<{ server: Server; baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
    const status = Number(/\/status\/(\d+)\//.exec(req.url ?? '')?.[1] ?? 200);
    if (req.url?.startsWith('/html/')) {
      res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login</html>');
      return;
    }
    if (req.url?.startsWith('/empty/')) {
      res.writeHead(204).end();
      return;
    }
    if (req.url?.startsWith('/nodetail/')) {
      res.writeHead(status).end();
      return;
    }
    const answer =
      status >= 400
        ? {
            detail: req.url?.includes('escape')
              ? 'bad \u001b[31mred\u001b[0m\nthing'
              : `failed with ${status}`,
          }
        : { ok: true, method: req.method };
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (status === 429) headers['Retry-After'] = '7';
    res.writeHead(status, headers).end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, baseUrl: `http://127.0.0.1:${port}`, seen };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${error}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

describe('ApiClient', () => {
  let ctx: Awaited<ReturnType<typeof startServer>>;
  let client: ApiClient;
  before(async () => {
    ctx = await startServer();
    client = new ApiClient({ baseUrl: ctx.baseUrl, token: 'sntryu_secret' });
  });
  after(() => ctx.server.close());

  test('sends the Bearer token, the query and a JSON body, and parses the JSON answer', async () => {
    const answer = await client.request({
      method: 'POST',
      path: '/api/0/organizations/acme/incidents/',
      query: { status: 'open', skipped: undefined },
      body: { title: 'Checkout down', issues: ['WEB-12'] },
    });
    assert.deepEqual(answer, { ok: true, method: 'POST' });
    const seen = ctx.seen.at(-1)!;
    assert.equal(seen.url, '/api/0/organizations/acme/incidents/?status=open');
    assert.equal(seen.headers.authorization, 'Bearer sntryu_secret');
    assert.equal(seen.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(seen.body), { title: 'Checkout down', issues: ['WEB-12'] });
  });

  test('a GET carries no body or content type; an empty answer is null', async () => {
    assert.equal(await client.request({ method: 'DELETE', path: '/empty/' }), null);
    await client.request({ method: 'GET', path: '/x/' });
    const seen = ctx.seen.at(-1)!;
    assert.equal(seen.body, '');
    assert.equal(seen.headers['content-type'], undefined);
  });

  test('maps HTTP statuses to AppError codes (and so to CLI exit codes)', async () => {
    const expected: [number, string][] = [
      [400, 'VALIDATION'],
      [401, 'UNAUTHORIZED'],
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [409, 'CONFLICT'],
      [413, 'PAYLOAD_TOO_LARGE'],
      [422, 'VALIDATION'],
      [429, 'RATE_LIMITED'],
      [500, 'INTERNAL'],
      [503, 'UNAVAILABLE'],
    ];
    for (const [status, code] of expected) {
      const error = await rejection(client.request({ method: 'GET', path: `/status/${status}/` }));
      assert.equal(error.code, code, `HTTP ${status}`);
      assert.match(error.message, new RegExp(`failed with ${status}`));
    }
  });

  test('the detail is the message; a 404 also names the request, 429 keeps Retry-After', async () => {
    const conflict = await rejection(client.request({ method: 'PUT', path: '/status/409/' }));
    assert.equal(conflict.message, 'failed with 409');
    const missing = await rejection(client.request({ method: 'GET', path: '/status/404/' }));
    assert.equal(missing.message, 'failed with 404 (404 for GET /status/404/)');
    const limited = await rejection(client.request({ method: 'GET', path: '/status/429/' }));
    assert.equal(limited.retryAfter, 7);
  });

  test('server text loses control characters before it reaches a terminal', async () => {
    const error = await rejection(client.request({ method: 'GET', path: '/status/400/escape/' }));
    assert.equal(error.message, 'bad  [31mred [0m thing');
    assert.doesNotMatch(error.message, /\u001b/);
  });

  test('an error without a JSON detail still says what failed', async () => {
    const error = await rejection(client.request({ method: 'POST', path: '/nodetail/status/403/' }));
    assert.equal(error.code, 'FORBIDDEN');
    assert.equal(error.message, 'the server answered 403 for POST /nodetail/status/403/');
  });

  test('a non-JSON success answer means the URL is not a Firebreak API', async () => {
    const error = await rejection(client.request({ method: 'GET', path: '/html/' }));
    assert.equal(error.code, 'UNAVAILABLE');
    assert.match(error.message, /did not answer JSON/);
  });

  test('no token: refused before any request is made', async () => {
    const before = ctx.seen.length;
    const error = await rejection(
      new ApiClient({ baseUrl: ctx.baseUrl, token: null }).request({ method: 'GET', path: '/x/' }),
    );
    assert.equal(error.code, 'UNAUTHORIZED');
    assert.match(error.message, /FIREBREAK_TOKEN/);
    assert.equal(ctx.seen.length, before);
  });
});

test('a server that is not there is UNAVAILABLE, with the URL to check', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const error = await rejection(
    new ApiClient({ baseUrl: `http://127.0.0.1:${port}`, token: 't' }).request({ method: 'GET', path: '/' }),
  );
  assert.equal(error.code, 'UNAVAILABLE');
  assert.match(
    error.message,
    new RegExp(`cannot reach Firebreak at http://127.0.0.1:${port}: connection refused`),
  );
});
