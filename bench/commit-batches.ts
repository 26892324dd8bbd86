import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitBatch } from '../src/digest/commit.ts';
import { type PreparedEvent, prepareEvent } from '../src/digest/prepare.ts';
import { parseEnvelope } from '../src/ingest/envelope.ts';
import { INGEST_LIMITS } from '../src/ingest/limits.ts';
import { openStore } from '../src/store/open-store.ts';
import { buildEnvelope, buildTemplatePool, PROFILES } from './payloads.ts';
import { seededRandom } from './random.ts';

/**
 * The group commit alone, in this process: typical events prepared up front, then committed in
 * batches of each size on a fresh SQLite file. Prints µs of main-thread time per event, to show
 * what a transaction costs per batch and per event.   node bench/commit-batches.ts [EVENTS]
 */
const total = Number(process.argv[2] ?? 20_000);
const pool = buildTemplatePool(PROFILES.typical, '0'.repeat(32));
const random = seededRandom(7);

for (const [size, defer] of [
  [1, false],
  [4, false],
  [16, false],
  [64, false],
  [256, false],
  [4, true],
  [16, true],
  [64, true],
] as const) {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-commit-'));
  const store = await openStore(`sqlite:${join(dir, 'bench.db')}`);
  await store.migrate();
  const org = await store.orgs.create({ slug: 'bench', name: 'Bench', now: Date.now() });
  const project = await store.projects.create({
    orgId: org.id,
    slug: 'web',
    name: 'Web',
    platform: 'node',
    now: Date.now(),
  });
  const events: PreparedEvent[] = [];
  for (let i = 0; i < total; i++) {
    const envelope = buildEnvelope(pool, random);
    const item = parseEnvelope(Buffer.concat(envelope.chunks), INGEST_LIMITS).items[0];
    const raw = JSON.parse(item.payload.toString()) as Record<string, unknown>;
    events.push(prepareEvent(raw, { project, receivedAt: Date.now() }));
  }
  const start = performance.now();
  for (let i = 0; i < total; i += size) {
    await commitBatch(store, events.slice(i, i + size), [], { defer });
  }
  const micros = ((performance.now() - start) * 1000) / total;
  console.log(
    `batch ${String(size).padStart(3)} ${defer ? 'deferred' : 'inline  '}  ${micros.toFixed(1)} µs/event`,
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
