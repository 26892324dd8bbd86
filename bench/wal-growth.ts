import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { positiveNumber } from './args.ts';
import { createBenchDatabase } from './bench-database.ts';
import { startGenerator } from './generator-process.ts';
import { steadyPhase } from './generator-protocol.ts';
import { setupProject, startServer } from './server-process.ts';

/**
 * The SQLite WAL file's size and the server's resident memory, sampled while the real
 * `firebreak serve` takes typical events at a steady rate from the load generator (an open loop,
 * as in bench:ingest's second phase). Under a steady load the WAL must start over again and
 * again; a WAL that only grows is the fault src/store/sqlite/wal-restart.ts describes. A long
 * run (`--duration 600 --every 30`) is a soak: neither column should climb.
 *
 *   node bench/wal-growth.ts [--rate 300] [--duration 20] [--every 1]
 */
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '300' },
    duration: { type: 'string', default: '20' },
    every: { type: 'string', default: '1' },
  },
});
const rate = positiveNumber('rate', values.rate);
const seconds = positiveNumber('duration', values.duration);
const every = positiveNumber('every', values.every);

const database = await createBenchDatabase('sqlite', '');
const walFile = `${database.url.replace(/^sqlite:/, '')}-wal`;
const project = await setupProject(database.url);
const server = await startServer(database.url);
const generator = await startGenerator({ origin: server.origin, ...project, profile: 'typical' });
const walMb: number[] = [];
const rssMb: number[] = [];
const sampler = setInterval(() => {
  walMb.push(Math.round(statSync(walFile).size / 1e6));
  const rssKb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1];
  rssMb.push(Math.round(Number(rssKb) / 1024));
}, every * 1000);
try {
  const result = await generator.run(steadyPhase(seconds * 1000, rate));
  clearInterval(sampler);
  console.log(`steady ${rate} events/s for ${seconds} s: ${result.ok} answered 200, p99 ${result.p99Ms} ms`);
  console.log(`every ${every} s, WAL file (MB): ${walMb.join(' ')}`);
  console.log(`every ${every} s, server RSS (MB): ${rssMb.join(' ')}`);
  console.log(
    `largest WAL: ${Math.max(...walMb)} MB; server peak RSS ${Math.round(server.peakRssBytes() / 2 ** 20)} MB`,
  );
} finally {
  clearInterval(sampler);
  await generator.stop();
  await server.stop();
  await database.cleanup();
}
