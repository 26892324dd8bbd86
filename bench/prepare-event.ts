/**
 * CPU per event of the prepare step (parse, normalise, scrub, group, compress) on one thread,
 * for the ingest benchmark's typical and heavy events: what the prepare worker spends per event.
 *
 *   node bench/prepare-event.ts [--events 4000]
 */
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { runPrepareJob } from '../src/digest/prepare-worker.ts';
import type { Project } from '../src/store/types.ts';
import { buildEnvelope, buildTemplatePool, PROFILES, type ProfileName } from './payloads.ts';
import { seededRandom } from './random.ts';

const { values } = parseArgs({ options: { events: { type: 'string', default: '4000' } } });
const count = Number(values.events);
const project = { id: 1, orgId: 1, slug: 'bench', name: 'Bench', platform: 'node' } as Project;

/** The event item's bytes of a benchmark envelope (its third line). */
function eventPayloads(profile: ProfileName): Uint8Array[] {
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

for (const profile of ['typical', 'heavy'] as const) {
  const payloads = eventPayloads(profile);
  const job = (i: number) => ({
    payload: payloads[i % payloads.length],
    project,
    receivedAt: Date.now(),
    maxJsonDepth: 64,
  });
  for (let i = 0; i < 500; i++) runPrepareJob(job(i));
  const started = process.cpuUsage();
  for (let i = 0; i < count; i++) runPrepareJob(job(i));
  const used = process.cpuUsage(started);
  const bytes = payloads.reduce((sum, p) => sum + p.byteLength, 0) / payloads.length;
  console.log(
    `${profile.padEnd(8)} ${Math.round(bytes)} bytes  ${((used.user + used.system) / count).toFixed(0)} µs of CPU per event`,
  );
}
