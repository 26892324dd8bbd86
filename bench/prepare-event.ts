/**
 * CPU per event of the prepare step (parse, normalise, scrub, group, compress) on one thread,
 * for the ingest benchmark's typical and heavy events: what the prepare worker spends per event.
 * `--steps` also times each step alone, on the same events (inputs made by the steps before it).
 *
 *   node bench/prepare-event.ts [--events 4000] [--steps]
 */
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { normalizeEvent } from '../src/digest/normalize.ts';
import { compressPayload } from '../src/digest/prepare.ts';
import { runPrepareJob } from '../src/digest/prepare-worker.ts';
import { scrubEvent } from '../src/digest/scrub.ts';
import { groupEventV1 } from '../src/grouping/v1.ts';
import { parseJsonObject } from '../src/ingest/envelope.ts';
import { buildEnvelope, buildTemplatePool, PREPARE_PROJECT, PROFILES, type ProfileName } from './payloads.ts';
import { seededRandom } from './random.ts';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '4000' }, steps: { type: 'boolean', default: false } },
});
const count = Number(values.events);
const project = PREPARE_PROJECT;
const MAX_JSON_DEPTH = 64;
const WARM_UP = 500;

/** The event item's bytes of a benchmark envelope (its third line). */
function eventPayloads(profile: ProfileName): Buffer[] {
  const pool = buildTemplatePool(PROFILES[profile], 'a'.repeat(32));
  const random = seededRandom(11);
  return Array.from({ length: 300 }, () => {
    const envelope = buildEnvelope(pool, random);
    const body = Buffer.concat(envelope.chunks);
    const text = envelope.gzip ? gunzipSync(body) : body;
    const lines = text.toString('utf8').split('\n');
    return Buffer.from(lines.slice(2).join('\n'));
  });
}

/** CPU µs per call of fn over `count` calls, after a warm-up. */
function cpuMicrosPerCall(fn: (i: number) => unknown): number {
  for (let i = 0; i < WARM_UP; i++) fn(i);
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) fn(i);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / count;
}

function printSteps(payloads: Buffer[]): void {
  const at = <T>(items: T[], i: number) => items[i % items.length];
  const receivedAt = Date.now();
  const parsed = payloads.map((payload) => parseJsonObject(payload, MAX_JSON_DEPTH));
  const normalized = parsed.map((raw) => normalizeEvent(raw, { receivedAt }));
  const scrubbed = normalized.map((event) => scrubEvent(event));
  const serialized = scrubbed.map((event) => Buffer.from(JSON.stringify(event)));
  const steps: [string, (i: number) => unknown][] = [
    ['parse (JSON.parse + depth check)', (i) => parseJsonObject(at(payloads, i), MAX_JSON_DEPTH)],
    ['normalise', (i) => normalizeEvent(at(parsed, i), { receivedAt })],
    ['scrub', (i) => scrubEvent(at(normalized, i))],
    ['group', (i) => groupEventV1(at(scrubbed, i))],
    ['serialise (JSON + UTF-8)', (i) => Buffer.from(JSON.stringify(at(scrubbed, i)))],
    ['compress (zstd)', (i) => compressPayload(at(serialized, i))],
  ];
  for (const [name, fn] of steps) console.log(`  ${name.padEnd(34)} ${cpuMicrosPerCall(fn).toFixed(0)} µs`);
}

for (const profile of ['typical', 'heavy'] as const) {
  const payloads = eventPayloads(profile);
  const job = (i: number) => ({
    payload: payloads[i % payloads.length],
    project,
    receivedAt: Date.now(),
    maxJsonDepth: MAX_JSON_DEPTH,
  });
  const micros = cpuMicrosPerCall((i) => runPrepareJob(job(i)));
  const bytes = payloads.reduce((sum, p) => sum + p.byteLength, 0) / payloads.length;
  console.log(`${profile.padEnd(8)} ${Math.round(bytes)} bytes  ${micros.toFixed(0)} µs of CPU per event`);
  if (values.steps) printSteps(payloads);
}
