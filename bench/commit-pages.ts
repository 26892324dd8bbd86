import { readFileSync, rmSync, statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { commitBatch } from '../src/digest/commit.ts';
import { openCommitFixture } from './commit-fixture.ts';

/**
 * Which tables and indexes one ingest commit writes on SQLite. A commit appends every page it
 * changed to the WAL, one frame each, and that is most of a small batch's cost (bench
 * commit-batches). After warming a fresh database with typical events, each sampled batch runs
 * on an emptied WAL, whose frames are then named through the dbstat table.
 *   node bench/commit-pages.ts [BATCH_SIZE] [SAMPLES]
 */
const size = Number(process.argv[2] ?? 2);
const samples = Number(process.argv[3] ?? 20);
const WARM_UP_EVENTS = 5000;
const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

const { dir, file, store, events } = await openCommitFixture(
  'firebreak-pages-',
  WARM_UP_EVENTS + samples * size,
);
for (let i = 0; i < WARM_UP_EVENTS; i += size) {
  await commitBatch(store, events.slice(i, i + size), [], { defer: true });
}

const side = new DatabaseSync(file);

/** Checkpoints the WAL to empty, as far as the store's own checkpointer lets it. */
async function emptyWal(): Promise<boolean> {
  for (let attempt = 0; attempt < 20; attempt++) {
    side.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    if (statSync(`${file}-wal`).size === 0) return true;
    await sleep(50);
  }
  return false;
}

const framesByName = new Map<string, number>();
let measured = 0;
for (let i = 0; i < samples; i++) {
  // The store's checkpointer thread may be mid-checkpoint: only an emptied WAL is measured.
  if (!(await emptyWal())) continue;
  const first = WARM_UP_EVENTS + i * size;
  await commitBatch(store, events.slice(first, first + size), [], { defer: true });
  const wal = readFileSync(`${file}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const pages = new Set<number>();
  for (
    let at = WAL_HEADER_BYTES;
    at + FRAME_HEADER_BYTES <= wal.length;
    at += FRAME_HEADER_BYTES + pageSize
  ) {
    pages.add(wal.readUInt32BE(at));
  }
  const owners = side.prepare('SELECT pageno, name FROM dbstat').all() as { pageno: number; name: string }[];
  const ownerOf = new Map(owners.map((row) => [row.pageno, row.name]));
  for (const page of pages) {
    const name = ownerOf.get(page) ?? '(free)';
    framesByName.set(name, (framesByName.get(name) ?? 0) + 1);
  }
  measured++;
}
side.close();
await store.close();
rmSync(dir, { recursive: true, force: true });

if (measured === 0) {
  console.error('no commit could be measured: the WAL never emptied (another process holding the database?)');
  process.exit(1);
}
const total = [...framesByName.values()].reduce((a, b) => a + b, 0);
console.log(`batch of ${size}: ${(total / measured).toFixed(1)} WAL frames per commit (${measured} commits)`);
for (const [name, frames] of [...framesByName].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${(frames / measured).toFixed(2).padStart(6)}  ${name}`);
}
