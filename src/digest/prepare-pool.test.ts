import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { markAsUntransferable } from 'node:worker_threads';
import type { Project } from '../store/types.ts';
import { PreparePool } from './prepare-pool.ts';

/**
 * How event bytes cross to the prepare worker: a payload handed over moves (its views here are
 * detached); anything else is cloned and stays readable here.
 */

const project = { id: 7, orgId: 3, slug: 'api', name: 'API', platform: 'node' } as Project;
const pool = new PreparePool(1, (error) => assert.fail(`prepare worker crashed: ${error}`));
after(() => pool.close());

/** An event's JSON as the whole of its own ArrayBuffer, as a decoder's output is. */
function ownBuffer(message: string, padding = 40_000): Buffer {
  const json = Buffer.from(JSON.stringify({ message, extra: { pad: 'x'.repeat(padding) } }));
  const own = Buffer.from(new ArrayBuffer(json.length));
  json.copy(own);
  return own;
}

async function prepare(payload: Uint8Array, handOver: boolean) {
  const outcome = await pool.prepare(
    { payload, project, receivedAt: Date.now(), maxJsonDepth: 64 },
    { handOver },
  );
  assert.equal(outcome.kind, 'event');
  return outcome.kind === 'event' ? outcome.event : assert.fail();
}

test('a handed-over payload moves to the worker: prepared there, detached here', async () => {
  const payload = ownBuffer('moved');
  const event = await prepare(payload, true);
  assert.equal(event.grouping.title, 'moved');
  assert.equal(payload.byteLength, 0, 'the view on this thread is detached');
});

test('a payload not handed over is cloned and stays readable', async () => {
  const payload = ownBuffer('cloned');
  const event = await prepare(payload, false);
  assert.equal(event.grouping.title, 'cloned');
  assert.equal(JSON.parse(payload.toString()).message, 'cloned');
});

test('a small view into a shared buffer is copied out, not sent whole; the buffer stays intact', async () => {
  const shared = Buffer.from(`${JSON.stringify({ message: 'pooled' })}\n${'y'.repeat(20_000)}`);
  const payload = shared.subarray(0, shared.indexOf('\n'));
  const event = await prepare(payload, false);
  assert.equal(event.grouping.title, 'pooled');
  assert.equal(shared.byteLength, 20_000 + payload.byteLength + 1);
  assert.equal(shared.at(-1), 'y'.charCodeAt(0));
});

test('memory Node refuses to transfer is sent as a copy instead, with the jobs batched beside it', async () => {
  const refused = ownBuffer('refused');
  markAsUntransferable(refused.buffer);
  const [first, second] = await Promise.all([prepare(refused, true), prepare(ownBuffer('beside'), true)]);
  assert.equal(first.grouping.title, 'refused');
  assert.equal(second.grouping.title, 'beside');
  assert.equal(JSON.parse(refused.toString()).message, 'refused');
});
