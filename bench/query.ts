import { readFileSync } from 'node:fs';
import { cpus as listCpus } from 'node:os';
import { parseArgs } from 'node:util';
import { setupProject } from '../src/projects/setup-project.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Backend } from './bench-database.ts';
import { buildCatalogue } from './query-catalogue.ts';
import { createClient, discoverIssues } from './query-client.ts';
import { autovacuumEnabled, openQueryDatabase, type QueryDatabase, vacuumAnalyze } from './query-database.ts';
import { type DatasetShape, PROJECT_SLUGS, RELEASES, USERS } from './query-dataset.ts';
import { BENCH_ORG, type GenerationReport, generateDataset } from './query-generator.ts';
import { measureConcurrent, measureSequential } from './query-measure.ts';
import { formatRun, type QueryRunReport, summarizeGroups } from './query-report.ts';
import { seededRandom } from './random.ts';
import { startServer } from './server-process.ts';
import { round } from './stats.ts';

/**
 * Query benchmark (docs/performance.md): per backend, a database of N events in M issues written
 * through the digest's own commit path, then the real `firebreak serve` answering issue lists,
 * issue pages and event pages over HTTP on 127.0.0.1, one request at a time and then mixed from
 * several clients. Figures, not assertions.
 *
 *   npm run bench:query -- [--backend sqlite|postgres|all] [--events 1000000] [--issues 10000]
 *                          [--requests 200] [--warmup 20] [--concurrency 8] [--json]
 *                          [--keep PATH|URL]… [--reuse PATH|URL]…
 */

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const SEED = 0x9e3779b9;

interface Options {
  backends: Backend[];
  events: number;
  issues: number;
  requests: number;
  warmup: number;
  concurrency: number;
  json: boolean;
  keep: string[];
  reuse: string[];
  postgresAdminUrl: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string', default: 'sqlite' },
      events: { type: 'string', default: '1000000' },
      issues: { type: 'string', default: '10000' },
      requests: { type: 'string', default: '200' },
      warmup: { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '8' },
      json: { type: 'boolean', default: false },
      keep: { type: 'string', multiple: true, default: [] },
      reuse: { type: 'string', multiple: true, default: [] },
    },
    strict: true,
  });
  const all: Backend[] = ['sqlite', 'postgres'];
  if (values.backend !== 'all' && !all.includes(values.backend as Backend))
    throw new Error('--backend must be sqlite, postgres or all');
  const count = (flag: string, value: string, min: number) => {
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < min)
      throw new Error(`--${flag} must be a whole number ≥ ${min}`);
    return number;
  };
  const options = {
    backends: values.backend === 'all' ? all : [values.backend as Backend],
    events: count('events', values.events, 1),
    issues: count('issues', values.issues, 1),
    requests: count('requests', values.requests, 1),
    warmup: count('warmup', values.warmup, 0),
    concurrency: count('concurrency', values.concurrency, 0),
    json: values.json,
    keep: values.keep,
    reuse: values.reuse,
    postgresAdminUrl: process.env.FIREBREAK_BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL,
  };
  if (options.events < options.issues)
    throw new Error('--events must be at least --issues (every issue gets one)');
  return options;
}

/** Undo steps for the run in progress, so Ctrl-C still stops the server and removes the database. */
const cleanups: (() => Promise<void>)[] = [];

async function withCleanup<T>(cleanup: () => Promise<void>, fn: () => Promise<T>): Promise<T> {
  cleanups.push(cleanup);
  try {
    return await fn();
  } finally {
    cleanups.splice(cleanups.indexOf(cleanup), 1);
    await cleanup();
  }
}

const log = (line: string) => console.error(line);
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function runOne(options: Options, backend: Backend): Promise<QueryRunReport> {
  const loadBefore = loadAverage();
  const database = await openQueryDatabase(backend, options);
  return withCleanup(database.cleanup, async () => {
    let generation: GenerationReport | null = null;
    const notes: string[] = [];
    if (database.backend === 'postgres' && !(await autovacuumEnabled(database.url)))
      notes.push(
        database.reused
          ? 'PostgreSQL autovacuum is off on this server; the reused data set is as vacuumed when generated'
          : 'PostgreSQL autovacuum is off on this server; generation ran VACUUM ANALYZE every minute in its place',
      );
    if (!database.reused) {
      const shape: DatasetShape = {
        events: options.events,
        issues: options.issues,
        users: USERS,
        releases: RELEASES,
        now: Date.now(),
        seed: SEED,
      };
      log(`${backend}: generating ${shape.events} events in ${shape.issues} issues…`);
      generation = await generateDataset(database.url, shape, { log, maintain: maintenanceOf(database) });
      log(`${backend}: generated in ${generation.seconds} s (${generation.eventsPerSec} events/s)`);
      if (generation.issues !== shape.issues)
        notes.push(`grouping made ${generation.issues} issues of ${shape.issues} templates`);
    }
    const report = await measure(options, database, generation, loadBefore, notes);
    if (database.kept) log(`${backend}: database kept at ${database.url} (pass --reuse ${database.url})`);
    return report;
  });
}

async function measure(
  options: Options,
  database: QueryDatabase,
  generation: GenerationReport | null,
  loadBefore: string,
  notes: string[],
): Promise<QueryRunReport> {
  const token = await mintToken(database.url);
  const server = await startServer(database.url);
  const run = await withCleanup(server.stop, async () => {
    const client = createClient(server.origin, token);
    const issues = await discoverIssues(client, BENCH_ORG, [...PROJECT_SLUGS]);
    if (issues.length === 0) throw new Error(`${database.url} holds no issues of org "${BENCH_ORG}"`);
    const catalogue = await buildCatalogue(client, BENCH_ORG, issues, seededRandom(SEED));
    const measured = [];
    for (const spec of catalogue) {
      log(`${database.backend}: ${spec.name}`);
      measured.push(await measureSequential(client, spec, options, server.cpuMs));
    }
    const concurrent =
      options.concurrency > 0
        ? await measureConcurrent(client, catalogue, {
            concurrency: options.concurrency,
            requests: Math.max(options.requests, 50 * options.concurrency),
          })
        : null;
    const newest = Math.max(...issues.map((issue) => Date.parse(issue.lastSeen)));
    return { issues, measured, concurrent, newest, peakRssBytes: server.peakRssBytes() };
  });
  const events = run.issues.reduce((sum, issue) => sum + issue.count, 0);
  const dbBytes = await database.diskBytes();
  return {
    backend: database.backend,
    events,
    issues: run.issues.length,
    generation,
    datasetAgeHours: round((Date.now() - run.newest) / 3_600_000),
    dbBytes,
    dbBytesPerEvent: Math.round(dbBytes / events),
    serverPeakRssMb: round(run.peakRssBytes / 2 ** 20),
    loadBefore,
    loadAfter: loadAverage(),
    cpus: listCpus().length,
    queries: run.measured.map((m) => m.result),
    groups: summarizeGroups(run.measured.map((m) => ({ group: m.result.group, samples: m.samples }))),
    concurrent: run.concurrent,
    notes,
  };
}

/**
 * PostgreSQL: VACUUM ANALYZE in autovacuum's place — once at the end, and also every minute
 * while writing when autovacuum is off, so tables bloat and plans age as they would with it on.
 */
function maintenanceOf(database: QueryDatabase): ((final: boolean) => Promise<void>) | undefined {
  if (database.backend !== 'postgres') return undefined;
  let autovacuum: boolean | undefined;
  return async (final) => {
    autovacuum ??= await autovacuumEnabled(database.url);
    if (final || !autovacuum) await vacuumAnalyze(database.url);
  };
}

/** A fresh token with every scope, through the same idempotent setup the CLI runs. */
async function mintToken(databaseUrl: string): Promise<string> {
  const store = await openStore(databaseUrl);
  try {
    await store.migrate();
    const result = await setupProject(
      { store, now: Date.now(), publicUrl: 'http://127.0.0.1:8000' },
      { org: BENCH_ORG, project: PROJECT_SLUGS[0], platform: 'node' },
    );
    return result.token;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  process.once('SIGINT', async () => {
    // Dropping the database cuts the generator's open connections; their errors are expected now.
    process.on('uncaughtException', () => {});
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    process.exit(130);
  });
  for (const backend of options.backends) {
    const report = await runOne(options, backend);
    console.log(options.json ? JSON.stringify(report) : `${formatRun(report)}\n`);
  }
}

await main();
