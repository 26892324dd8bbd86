/**
 * What decoding a compressed request body costs, per body: the stream path (zlib on the thread
 * pool, chunk by chunk) against the one-call path `decodeBody` now takes for bodies up to 64 KiB
 * on the wire. Bodies are heavy-profile envelopes, gzipped as @sentry/node sends them past 32 KiB.
 * Prints wall time, CPU of all threads and main-thread (event loop) time per body.
 *
 *   node bench/decode-body.ts [--bodies 3000]
 */
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { decodeBody } from '../src/ingest/decompress.ts';
import { buildEnvelope, buildTemplatePool, PROFILES } from './payloads.ts';
import { seededRandom } from './random.ts';

const { values } = parseArgs({ options: { bodies: { type: 'string', default: '3000' } } });
const count = Number(values.bodies);
const pool = buildTemplatePool(PROFILES.heavy, 'a'.repeat(32));
const random = seededRandom(7);
const bodies = Array.from({ length: 200 }, () => Buffer.concat(buildEnvelope(pool, random).chunks));
const LIMIT = 200 * 1024 * 1024;

/** The stream path as it was: a Gunzip transform fed the whole body, output gathered. */
function streamed(body: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const gunzip = zlib.createGunzip({ chunkSize: 64 * 1024 });
    gunzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    gunzip.on('error', reject);
    gunzip.on('end', () => resolve(Buffer.concat(chunks)));
    gunzip.end(body);
  });
}

async function measure(name: string, decode: (body: Buffer) => Promise<Buffer>) {
  for (let i = 0; i < 300; i++) await decode(bodies[i % bodies.length]);
  const cpu = process.cpuUsage();
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  for (let i = 0; i < count; i++) await decode(bodies[i % bodies.length]);
  const wallUs = ((performance.now() - started) * 1000) / count;
  const used = process.cpuUsage(cpu);
  const mainUs = (performance.eventLoopUtilization(loop).active * 1000) / count;
  const cpuUs = (used.user + used.system) / count;
  console.log(
    `${name.padEnd(28)} ${wallUs.toFixed(0).padStart(5)} µs wall  ${cpuUs.toFixed(0).padStart(5)} µs CPU  ${mainUs.toFixed(0).padStart(5)} µs main thread`,
  );
}

const wire = bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length;
const plain = (await decodeBody(bodies[0], ['gzip'], LIMIT)).length;
console.log(
  `heavy envelopes: ~${Math.round(wire)} bytes gzipped, ${plain} bytes decoded; ${count} bodies each\n`,
);
await measure('stream (thread pool)', streamed);
await measure('decodeBody (one call)', (body) => decodeBody(body, ['gzip'], LIMIT));
