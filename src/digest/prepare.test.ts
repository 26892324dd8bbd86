import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodePayload } from './payload.ts';
import { PAYLOAD_CODEC, prepareEvent } from './prepare.ts';

const project = { id: 7, orgId: 3, slug: 'api', name: 'API', platform: 'node' } as Parameters<
  typeof prepareEvent
>[1]['project'];

test('a prepared payload owns exactly its bytes, so crossing threads copies only the frame', () => {
  const prepared = prepareEvent(
    { event_id: 'a'.repeat(32), message: 'hello', extra: { text: 'x'.repeat(5000) } },
    { project, receivedAt: Date.UTC(2026, 10, 22) },
  );
  // zlib's sync API hands back a view into a shared 64 KiB pool slab; structured clone would
  // copy the whole slab with every event sent from the prepare worker.
  assert.equal(prepared.payload.byteOffset, 0);
  assert.equal(prepared.payload.buffer.byteLength, prepared.payload.byteLength);
  assert.ok(prepared.payload.byteLength < prepared.size);
  const decoded = decodePayload({ payload: prepared.payload, payloadCodec: PAYLOAD_CODEC });
  assert.equal(decoded.event_id, 'a'.repeat(32));
  assert.equal(decoded.extra?.text, 'x'.repeat(5000));
});

test('a JSON request body sent as text (as @sentry/node sends it) is parsed, so its secrets are filtered', () => {
  const prepare = (data: string) =>
    decodePayload({
      payload: prepareEvent(
        { message: 'login failed', request: { method: 'POST', url: 'http://x/login', data } },
        { project, receivedAt: Date.UTC(2026, 10, 22) },
      ).payload,
      payloadCodec: PAYLOAD_CODEC,
    }).request;
  const login = prepare(
    ' {"username":"bob","password":"hunter2","nested":{"api_key":"k-123"},"list":[{"token":"t"}]}',
  );
  assert.deepEqual(login?.data, {
    username: 'bob',
    password: '[Filtered]',
    nested: { api_key: '[Filtered]' },
    list: [{ token: '[Filtered]' }],
  });
  assert.equal(login?.inferred_content_type, 'application/json');
  // Form bodies and plain text stay text (the key=value rule filters forms); broken JSON too.
  assert.equal(prepare('user=bob&password=hunter2')?.data, 'user=bob&password=[Filtered]');
  assert.equal(
    prepare('{"user": "bob", "password": "hunter2", "pin": 1234, "api_key": "k-12')?.data,
    '{"user": "bob", "password": "[Filtered]", "pin": 1234, "api_key": "[Filtered]"',
  );
  // Nesting too deep to walk is withheld whole rather than stored unscrubbed.
  assert.equal(prepare(`${'['.repeat(40)}"password"${']'.repeat(40)}`)?.data, '[Filtered]');
});
