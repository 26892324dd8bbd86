import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { positiveNumber } from './args.ts';
import { createBenchDatabase } from './bench-database.ts';
import { startGenerator } from './generator-process.ts';
import { steadyPhase } from './generator-protocol.ts';
import { setupProject, startServer } from './server-process.ts';

/**
 * Ingest latency while retention prunes: the real `firebreak serve` on SQLite takes typical
 * events at a steady rate, with the project's per-issue limit lowered (`--cap`) and a retention
 * pass every `--every` seconds, so each pass deletes about as many events as arrived since the
 * last one: the steady state of a busy issue at its limit. Prints the p99 and the answers over
 * 50 ms in each second; a pass that holds the event loop shows as a burst of slow seconds.
 *
 *   node bench/retention-load.ts [--rate 1500] [--duration 40] [--cap 100] [--every 5]
 */
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1500' },
    duration: { type: 'string', default: '40' },
    cap: { type: 'string', default: '100' },
    every: { type: 'string', default: '5' },
  },
});
const rate = positiveNumber('rate', values.rate);
const seconds = positiveNumber('duration', values.duration);
const cap = positiveNumber('cap', values.cap);
const every = positiveNumber('every', values.every);

const database = await createBenchDatabase('sqlite', '');
const file = database.url.replace(/^sqlite:/, '');
const project = await setupProject(database.url);
const settings = new DatabaseSync(file);
settings.prepare('UPDATE projects SET events_per_issue = ?').run(cap);
settings.close();
process.env.FIREBREAK_RETENTION_INTERVAL_SECONDS = String(every); // the server inherits it
const server = await startServer(database.url);
const generator = await startGenerator({ origin: server.origin, ...project, profile: 'typical' });
try {
  const result = await generator.run(steadyPhase(seconds * 1000, rate));
  console.log(
    `steady ${rate} events/s for ${seconds} s, ${cap} events kept per issue, retention every ${every} s: ` +
      `${result.ok} answered 200, p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`,
  );
  console.log(`answers > 50 ms, per second: ${result.slowPerSecond.join(' ')}`);
} finally {
  await generator.stop();
  await server.stop();
  await database.cleanup();
}
