import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { zstdDecompressSync } from 'node:zlib';
import { ZstdFrameEncoder } from './zstd-frames.ts';

const eventJson = (i: number) =>
  Buffer.from(
    JSON.stringify({ event_id: i.toString(16).padStart(32, '0'), message: `boom ${i}`, extra: { n: i } }),
  );

test('each input becomes a standalone frame through one reused context', () => {
  const encoder = new ZstdFrameEncoder();
  // The pinned Node (24) has the internals; a Node without them takes the fallback, still correct.
  assert.equal(encoder.reusesContext, true);
  const frames = Array.from({ length: 50 }, (_, i) => encoder.encode(eventJson(i)));
  // Decoded out of order and one by one: no frame depends on another.
  for (const i of [49, 0, 17, 3]) assert.deepEqual(zstdDecompressSync(frames[i]), eventJson(i));
  // Frames own their bytes: the next call does not overwrite an earlier result.
  assert.equal(frames[0].buffer.byteLength, frames[0].byteLength);
});

test('an input whose frame outgrows the kept output buffer is encoded whole', () => {
  const encoder = new ZstdFrameEncoder();
  const incompressible = randomBytes(300 * 1024);
  assert.deepEqual(zstdDecompressSync(encoder.encode(incompressible)), incompressible);
  const small = eventJson(7);
  assert.deepEqual(zstdDecompressSync(encoder.encode(small)), small);
  assert.deepEqual(zstdDecompressSync(encoder.encode(Buffer.alloc(0))), Buffer.alloc(0));
});

test('a context that fails is dropped for the per-call encoder, and frames stay correct', () => {
  const encoder = new ZstdFrameEncoder();
  const engine = (encoder as unknown as { engine: { stream: { destroy(): void } } }).engine;
  // What a native failure leaves: the stream destroyed under the encoder.
  engine.stream.destroy();
  const input = eventJson(3);
  assert.deepEqual(zstdDecompressSync(encoder.encode(input)), input);
  assert.equal(encoder.reusesContext, false);
  assert.deepEqual(zstdDecompressSync(encoder.encode(eventJson(4))), eventJson(4));
});
