import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { KeepAlivePool } from '../bench/keep-alive-client.ts';

// The load generator's HTTP client against node:http's server, the parser the server's is built on.
let server: http.Server;
let port: number;
const sockets = new Set<unknown>();
let bodies: { sha1: string; length: number }[] = [];

before(async () => {
  server = http.createServer((request, response) => {
    sockets.add(request.socket);
    const hash = createHash('sha1');
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
    });
    request.on('end', () => {
      bodies.push({ sha1: hash.digest('hex'), length });
      const mode = request.url ?? '/';
      if (mode === '/limited') {
        response.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' });
        response.end('{"detail":"rate limited"}');
      } else if (mode === '/chunked') {
        response.writeHead(200); // no content-length: node:http sends it chunked
        response.write('{"id":');
        setTimeout(() => response.end('"abc"}'), 5);
      } else if (mode === '/close') {
        response.writeHead(200, { connection: 'close', 'content-length': '2' });
        response.end('{}');
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ id: 'a'.repeat(32) }));
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

function head(path: string, length: number): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${length}\r\n\r\n`;
}

test('sequential requests reuse one connection and deliver every body byte', async () => {
  sockets.clear();
  bodies = [];
  const pool = new KeepAlivePool('127.0.0.1', port, 4, 5_000);
  const chunks = [Buffer.from('x'.repeat(5000)), Buffer.from('ÿ'.repeat(40_000), 'latin1')];
  const expected = createHash('sha1').update(Buffer.concat(chunks)).digest('hex');
  for (let i = 0; i < 5; i++) {
    const answer = await pool.request(head('/', 45_000), chunks);
    assert.equal(answer.status, 200);
  }
  pool.destroy();
  assert.equal(sockets.size, 1);
  assert.deepEqual(
    new Set(bodies.map((body) => `${body.sha1}/${body.length}`)),
    new Set([`${expected}/45000`]),
  );
});

test('at most maxSockets connections; the rest wait their turn', async () => {
  sockets.clear();
  const pool = new KeepAlivePool('127.0.0.1', port, 2, 5_000);
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => pool.request(head('/', 1), [Buffer.from('.')])),
  );
  pool.destroy();
  assert.deepEqual(
    answers.map((answer) => answer.status),
    Array(10).fill(200),
  );
  assert.equal(sockets.size, 2);
});

test('a 429 carries its Retry-After; a chunked answer ends at its last chunk', async () => {
  const pool = new KeepAlivePool('127.0.0.1', port, 1, 5_000);
  assert.deepEqual(await pool.request(head('/limited', 0), []), { status: 429, retryAfter: '7' });
  assert.deepEqual(await pool.request(head('/chunked', 0), []), { status: 200 });
  assert.deepEqual(await pool.request(head('/', 0), []), { status: 200 });
  pool.destroy();
});

test('a connection the server closes, after an answer or while idle, is replaced', async () => {
  sockets.clear();
  const pool = new KeepAlivePool('127.0.0.1', port, 1, 5_000);
  assert.equal((await pool.request(head('/close', 0), [])).status, 200);
  assert.equal((await pool.request(head('/', 0), [])).status, 200);
  server.closeIdleConnections(); // as at the server's keep-alive timeout
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal((await pool.request(head('/', 0), [])).status, 200);
  pool.destroy();
  assert.equal(sockets.size, 3);
});

test('a refused connection rejects the request instead of hanging', async () => {
  const closed = http.createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const closedPort = (closed.address() as AddressInfo).port;
  closed.close();
  await once(closed, 'close');
  const pool = new KeepAlivePool('127.0.0.1', closedPort, 1, 5_000);
  await assert.rejects(pool.request(head('/', 0), []), /ECONNREFUSED/);
  pool.destroy();
});
