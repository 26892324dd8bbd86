import { rmSync } from 'node:fs';
import { commitBatch } from '../src/digest/commit.ts';
import { openCommitFixture } from './commit-fixture.ts';

/**
 * The group commit alone, in this process: typical events prepared up front, then committed in
 * batches of each size on a fresh SQLite file. Prints µs of main-thread time per event, to show
 * what a transaction costs per batch and per event.   node bench/commit-batches.ts [EVENTS]
 */
const total = Number(process.argv[2] ?? 20_000);
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
  const { dir, store, events } = await openCommitFixture('firebreak-commit-', total);
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
