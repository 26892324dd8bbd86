import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createBenchDatabase } from './bench-database.ts';
import { startGenerator } from './generator-process.ts';
import { setupProject, startServer } from './server-process.ts';

/**
 * The SQLite WAL file's size, second by second, while the real `firebreak serve` takes typical
 * events at a steady rate from the load generator (an open loop, as in bench:ingest's second
 * phase). Under a steady load the WAL must start over again and again; a WAL that only grows is
 * the fault src/store/sqlite/wal-restart.ts describes.
 *
 *   node bench/wal-growth.ts [--rate 300] [--duration 20]
 */
const { values } = parseArgs({
  options: { rate: { type: 'string', default: '300' }, duration: { type: 'string', default: '20' } },
});
const rate = Number(values.rate);
const seconds = Number(values.duration);
if (!(rate > 0) || !(seconds > 0)) throw new Error('--rate and --duration must be positive numbers');

const database = await createBenchDatabase('sqlite', '');
const walFile = `${database.url.replace(/^sqlite:/, '')}-wal`;
const project = await setupProject(database.url);
const server = await startServer(database.url);
const generator = await startGenerator({ origin: server.origin, ...project, profile: 'typical' });
const sizesMb: number[] = [];
const sampler = setInterval(() => sizesMb.push(Math.round(statSync(walFile).size / 1e6)), 1000);
try {
  const result = await generator.run({ phase: 'rate', durationMs: seconds * 1000, rate, maxSockets: 256 });
  clearInterval(sampler);
  console.log(`steady ${rate} events/s for ${seconds} s: ${result.ok} answered 200, p99 ${result.p99Ms} ms`);
  console.log(`WAL file (MB), each second: ${sizesMb.join(' ')}`);
  console.log(`largest: ${Math.max(...sizesMb)} MB`);
} finally {
  clearInterval(sampler);
  await generator.stop();
  await server.stop();
  await database.cleanup();
}
