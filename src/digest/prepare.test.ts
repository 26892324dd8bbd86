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
