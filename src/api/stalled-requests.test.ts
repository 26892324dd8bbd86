import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import net from 'node:net';
import { test } from 'node:test';
import { trackStalledRequests } from './stalled-requests.ts';

/** Raw HTTP on its own connection; resolves with what the server sent back before closing. */
function connect(port: number, request: string): { answer: Promise<string> } {
  const socket = net.connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk;
  });
  socket.on('error', () => {});
  socket.write(request);
  return { answer: new Promise((resolve) => socket.on('close', () => resolve(answer))) };
}

test('cutting stalled requests spares a request fully received and still being answered', async () => {
  const server = createServer((request, response) => {
    request.resume();
    // The whole body has arrived; the answer takes a while (a commit under way).
    request.on('end', () => setTimeout(() => response.end('committed'), 300));
  });
  const cutStalled = trackStalledRequests(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;

  const whole = connect(
    port,
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}',
  );
  const halfBody = connect(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"message":');
  const halfHeaders = connect(port, 'POST / HTTP/1.1\r\nHost: x\r\n');
  await new Promise((resolve) => setTimeout(resolve, 100));
  const closed = new Promise((resolve) => server.close(resolve));
  cutStalled();

  assert.match(await whole.answer, /^HTTP\/1\.1 200 OK[\s\S]*committed$/);
  assert.equal(await halfBody.answer, '');
  assert.equal(await halfHeaders.answer, '');
  await closed;
});
