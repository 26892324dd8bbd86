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
  // Cut short inside or after a sensitive object or array: the whole of it goes.
  assert.equal(
    prepare('{"api_keys": ["sk_live_1", "sk_live_2"], "credentials":{"user":"bob","pin":"1234"}, "n": "x')
      ?.data,
    '{"api_keys": "[Filtered]", "credentials":"[Filtered]", "n": "x',
  );
  assert.equal(
    prepare('{"user": "bob", "secret": {"a": "s3cr3t-A", "b": "s3')?.data,
    '{"user": "bob", "secret": "[Filtered]"',
  );
  // Too long to parse here: filtered by key as text (the scrubber then keeps its first 16 KiB).
  const long = prepare(`{"password": "hunter2", "pad": "${'x'.repeat(70_000)}"}`)?.data as string;
  assert.match(long, /^\{"password": "\[Filtered\]", "pad": "xxx/);
  // Hostile text is one linear pass (a regex took seconds on this one).
  const hostile = `{${'\\"'.repeat(40_000)}`;
  assert.equal(prepare(hostile)?.data, hostile.slice(0, 16 * 1024));
  // Nesting too deep to walk is withheld whole rather than stored unscrubbed.
  assert.equal(prepare(`${'['.repeat(40)}"password"${']'.repeat(40)}`)?.data, '[Filtered]');
});
