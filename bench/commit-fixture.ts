import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PreparedEvent, prepareEvent } from '../src/digest/prepare.ts';
import { parseEnvelope } from '../src/ingest/envelope.ts';
import { INGEST_LIMITS } from '../src/ingest/limits.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Store } from '../src/store/types.ts';
import { buildEnvelope, buildTemplatePool, PROFILES } from './payloads.ts';
import { seededRandom } from './random.ts';

/**
 * For the benches that time the group commit on its own (commit-batches, commit-pages): a fresh
 * SQLite file with one project, and typical events prepared for it up front, as the prepare
 * worker would hand them over.
 */
export interface CommitFixture {
  dir: string;
  file: string;
  store: Store;
  events: PreparedEvent[];
}

const pool = buildTemplatePool(PROFILES.typical, '0'.repeat(32));
const random = seededRandom(7);

export async function openCommitFixture(prefix: string, eventCount: number): Promise<CommitFixture> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'bench.db');
  const store = await openStore(`sqlite:${file}`);
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
  for (let i = 0; i < eventCount; i++) {
    const envelope = buildEnvelope(pool, random);
    const item = parseEnvelope(Buffer.concat(envelope.chunks), INGEST_LIMITS).items[0];
    const raw = JSON.parse(item.payload.toString()) as Record<string, unknown>;
    events.push(prepareEvent(raw, { project, receivedAt: Date.now() }));
  }
  return { dir, file, store, events };
}
