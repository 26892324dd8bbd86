import { cpus as listCpus } from 'node:os';
import { parseArgs } from 'node:util';
import { positiveNumber } from './args.ts';
import { type Backend, countStored, createBenchDatabase } from './bench-database.ts';
import { startGenerator } from './generator-process.ts';
import { steadyPhase } from './generator-protocol.ts';
import type { ProfileName } from './payloads.ts';
import { formatTable, type RunReport } from './report.ts';
import { readMachineCpu, setupProject, startServer } from './server-process.ts';
import { round } from './stats.ts';

/**
 * Ingest benchmark (docs/performance.md): per backend × profile, a fresh database, the real
 * `firebreak serve`, and a separate load generator process. Phase 1 finds the maximum rate with
 * a closed loop; phase 2 sends an open loop at 80% of it for latency at a sustainable load.
 *
 *   npm run bench:ingest -- [--profile typical|heavy|all] [--backend sqlite|postgres|all]
 *                           [--duration 15] [--concurrency 64] [--json] [--cpu-prof DIR]
 *                           [--rate EVENTS_PER_SECOND] [--gc-trace]
 *
 * --rate runs the second phase at a fixed rate instead of 80 % of the first phase's maximum, so
 * two builds compare at the same load (the measured maximum moves ±20 % with the machine).
 * --gc-trace starts the server with V8's --trace-gc and prints the second phase's GC pauses for
 * the two isolates with the largest heaps: the main thread's (~25 MB), then the prepare worker's.
 */

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const STEADY_FRACTION = 0.8;

interface Options {
  profiles: ProfileName[];
  backends: Backend[];
  durationSeconds: number;
  concurrency: number;
  json: boolean;
  cpuProfileDir?: string;
  traceGc: boolean;
  /** Events/s for the second phase; by default 80 % of the first phase's maximum. */
  steadyRate?: number;
  postgresAdminUrl: string;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      profile: { type: 'string', default: 'all' },
      backend: { type: 'string', default: 'sqlite' },
      duration: { type: 'string', default: '15' },
      concurrency: { type: 'string', default: '64' },
      json: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      rate: { type: 'string' },
      'gc-trace': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const pick = <T extends string>(flag: string, value: string, all: T[]): T[] => {
    if (value === 'all') return all;
    if (!all.includes(value as T)) throw new Error(`--${flag} must be one of ${all.join(', ')} or all`);
    return [value as T];
  };
  return {
    profiles: pick<ProfileName>('profile', values.profile, ['typical', 'heavy']),
    backends: pick<Backend>('backend', values.backend, ['sqlite', 'postgres']),
    durationSeconds: positiveNumber('duration', values.duration),
    concurrency: Math.ceil(positiveNumber('concurrency', values.concurrency)),
    json: values.json,
    cpuProfileDir: values['cpu-prof'],
    traceGc: values['gc-trace'],
    steadyRate: values.rate === undefined ? undefined : positiveNumber('rate', values.rate),
    postgresAdminUrl: process.env.FIREBREAK_BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL,
  };
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

async function runOne(options: Options, backend: Backend, profile: ProfileName): Promise<RunReport> {
  const durationMs = options.durationSeconds * 1000;
  const database = await createBenchDatabase(backend, options.postgresAdminUrl);
  return withCleanup(database.cleanup, async () => {
    const project = await setupProject(database.url);
    const projectId = Number(project.projectId);
    const server = await startServer(database.url, {
      cpuProfileDir: options.cpuProfileDir,
      traceGc: options.traceGc,
    });
    const run = await withCleanup(server.stop, async () => {
      const generator = await startGenerator({ origin: server.origin, profile, ...project });
      return withCleanup(generator.stop, async () => {
        const cpuBefore = server.cpuMs();
        const machineBefore = readMachineCpu();
        const max = await generator.run({ phase: 'max', durationMs, concurrency: options.concurrency });
        const serverCpuMs = server.cpuMs() - cpuBefore;
        const machineAfter = readMachineCpu();
        const machineBusy =
          (machineAfter.busy - machineBefore.busy) / (machineAfter.total - machineBefore.total);
        const afterMax = await countStored(database.url, projectId);
        const maxRate = max.ok / (max.elapsedMs / 1000);
        const rate = Math.max(1, Math.round(options.steadyRate ?? maxRate * STEADY_FRACTION));
        const steadyCpuBefore = server.cpuMs();
        const steadyGcMark = server.gcTrace?.mark() ?? 0;
        const steady = await generator.run(steadyPhase(durationMs, rate));
        const steadyServerCpuMs = server.cpuMs() - steadyCpuBefore;
        const steadyGcPauses = server.gcTrace?.since(steadyGcMark);
        return {
          ready: generator.ready,
          max,
          steady,
          rate,
          maxRate,
          afterMax,
          serverCpuMs,
          steadyServerCpuMs,
          steadyGcPauses,
          machineBusy,
          peakRssBytes: server.peakRssBytes(),
          errorLogLines: server.errorLogLines(),
        };
      });
    });
    const stored = await countStored(database.url, projectId);
    const diskBytes = await database.diskBytes();
    const { ready, max, steady } = run;
    const cpus = listCpus().length;
    return {
      backend,
      profile,
      eventBytes: ready.eventBytes,
      wireBytes: ready.wireBytes,
      gzip: ready.gzip,
      concurrency: options.concurrency,
      durationSeconds: options.durationSeconds,
      acceptedPerSec: round(run.maxRate),
      processedPerSec: round(run.afterMax.events / (max.elapsedMs / 1000)),
      maxP50Ms: max.p50Ms,
      maxP99Ms: max.p99Ms,
      targetRatePerSec: run.rate,
      achievedRatePerSec: round(steady.ok / (steady.elapsedMs / 1000)),
      rateP50Ms: steady.p50Ms,
      rateP99Ms: steady.p99Ms,
      rateSlowPerSecond: steady.slowPerSecond,
      rateServerCpuUsPerEvent: steady.ok > 0 ? Math.round((1000 * run.steadyServerCpuMs) / steady.ok) : 0,
      ...(run.steadyGcPauses ? { rateGcPauses: run.steadyGcPauses } : {}),
      errors: max.errors + steady.errors,
      status503: max.status503 + steady.status503,
      status429: max.status429 + steady.status429,
      firstError: max.firstError ?? steady.firstError,
      serverErrorLogLines: run.errorLogLines,
      storedEvents: stored.events,
      issues: stored.issues,
      serverPeakRssMb: round(run.peakRssBytes / 2 ** 20),
      serverCpuPct: round((100 * run.serverCpuMs) / max.elapsedMs),
      generatorCpuPct: round((100 * max.cpuMs) / max.elapsedMs),
      otherCpuPct: round(
        Math.max(0, 100 * run.machineBusy * cpus - (100 * (run.serverCpuMs + max.cpuMs)) / max.elapsedMs),
      ),
      cpus,
      diskBytesPerEvent: stored.events > 0 ? Math.round(diskBytes / stored.events) : 0,
    };
  });
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseOptions();
  } catch (error) {
    // A mistyped option is the user's, not a crash: say what is wrong, without a stack.
    console.error(`bench:ingest: ${(error as Error).message}`);
    process.exitCode = 2;
    return;
  }
  process.once('SIGINT', async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    process.exit(130);
  });
  const reports: RunReport[] = [];
  for (const backend of options.backends) {
    for (const profile of options.profiles) {
      if (!options.json)
        console.error(`running ${backend} ${profile} (${options.durationSeconds}s per phase)…`);
      const report = await runOne(options, backend, profile);
      reports.push(report);
      if (options.json) console.log(JSON.stringify(report));
    }
  }
  if (!options.json) console.log(formatTable(reports));
}

await main();
