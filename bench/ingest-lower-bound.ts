import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { positiveNumber } from './args.ts';
import { createBenchDatabase } from './bench-database.ts';
import { startGenerator } from './generator-process.ts';
import type { ProfileName } from './payloads.ts';
import { readCpuMs, readMachineCpu, setupProject, startServer } from './server-process.ts';
import { round } from './stats.ts';

/**
 * How far the ingest target is from what this machine allows (docs/performance.md, "What this
 * machine allows"). Runs bench:ingest's closed loop (the same load generator process, profile and
 * 64 connections) against throw-away servers that each do strictly less than Firebreak must
 * (bench/lower-bound-server.ts: answer only; + parse; + Firebreak's prepare step; + one row in
 * SQLite; and, beside the chain, answer only through Firebreak's Fastify setup), then against
 * the real `firebreak serve` on SQLite, in rounds, so the machine's drift hits every server alike.
 * "CPU bound" is the rate at which that server and the generator would keep both cores busy, with
 * no idle time: a ceiling for any design that does at least that work.
 *
 *   node bench/ingest-lower-bound.ts [--profile typical|heavy] [--duration 10] [--rounds 3]
 */

const CONCURRENCY = 64;
const LEVELS = ['answer', 'fastify', 'parse', 'prepare', 'store', 'firebreak'] as const;
/** The two cores all the work shares, the load generator's included (the terms). */
const CORE_MICROS_PER_SECOND = 2_000_000;
type Level = (typeof LEVELS)[number];

interface Measured {
  level: Level;
  eventsPerSec: number;
  serverCpuPct: number;
  generatorCpuPct: number;
  machineBusyPct: number;
  serverCpuUsPerEvent: number;
  generatorCpuUsPerEvent: number;
  /** The rate at which server and generator together would fill both cores: no design doing this work gets past it. */
  cpuBoundPerSec: number;
}

const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'typical' },
    duration: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
  },
  strict: true,
});
const profile = values.profile as ProfileName;
if (profile !== 'typical' && profile !== 'heavy') throw new Error('--profile must be typical or heavy');
const durationMs = positiveNumber('duration', values.duration) * 1000;
const rounds = Math.ceil(positiveNumber('rounds', values.rounds));

interface Target {
  origin: string;
  pid: number;
  project: { projectId: string; publicKey: string };
  stop(): Promise<void>;
}

async function startTarget(level: Level, sqliteUrl: string): Promise<Target> {
  if (level === 'firebreak') {
    const project = await setupProject(sqliteUrl);
    const server = await startServer(sqliteUrl);
    return { origin: server.origin, pid: server.pid, project, stop: server.stop };
  }
  const child = spawn(
    process.execPath,
    [new URL('./lower-bound-server.ts', import.meta.url).pathname, level, sqliteUrl.replace(/^sqlite:/, '')],
    { stdio: ['ignore', 'inherit', 'pipe'] },
  );
  const origin = await listeningOrigin(child);
  return {
    origin,
    pid: child.pid!,
    project: { projectId: '1', publicKey: 'ignored' },
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function listeningOrigin(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`lower-bound server exited (${code}): ${output}`)));
  });
}

async function measure(level: Level): Promise<Measured> {
  // Undone in reverse: the generator, then the server, then the database.
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const database = await createBenchDatabase('sqlite', '');
    cleanups.push(database.cleanup);
    const target = await startTarget(level, database.url);
    cleanups.push(target.stop);
    const generator = await startGenerator({ origin: target.origin, profile, ...target.project });
    cleanups.push(generator.stop);
    const cpuBefore = readCpuMs(target.pid);
    const machineBefore = readMachineCpu();
    const result = await generator.run({ phase: 'max', durationMs, concurrency: CONCURRENCY });
    const serverCpuMs = readCpuMs(target.pid) - cpuBefore;
    const machineAfter = readMachineCpu();
    if (result.ok !== result.sent) throw new Error(`${level}: ${result.sent - result.ok} requests failed`);
    const seconds = result.elapsedMs / 1000;
    return {
      level,
      eventsPerSec: round(result.ok / seconds, 0),
      serverCpuPct: round(serverCpuMs / seconds / 10),
      generatorCpuPct: round(result.cpuMs / seconds / 10),
      machineBusyPct: round(
        (200 * (machineAfter.busy - machineBefore.busy)) / (machineAfter.total - machineBefore.total),
      ),
      serverCpuUsPerEvent: round((serverCpuMs * 1000) / result.ok, 0),
      generatorCpuUsPerEvent: round((result.cpuMs * 1000) / result.ok, 0),
      cpuBoundPerSec: round(CORE_MICROS_PER_SECOND / (((serverCpuMs + result.cpuMs) * 1000) / result.ok), 0),
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

const results: Measured[] = [];
for (let round = 1; round <= rounds; round++) {
  for (const level of LEVELS) {
    process.stderr.write(`round ${round}/${rounds}: ${level}…\n`);
    results.push(await measure(level));
  }
}

const describe: Record<Level, string> = {
  answer: 'read the body, answer',
  fastify: 'answer, through Fastify',
  parse: '+ gunzip, parse, serialise',
  prepare: "+ Firebreak's prepare step",
  store: '+ insert one row into SQLite',
  firebreak: 'firebreak serve (SQLite)',
};
const range = (numbers: number[]) => {
  const low = Math.min(...numbers);
  const high = Math.max(...numbers);
  return low === high ? `${low}` : `${low}–${high}`;
};
console.log(`${profile} events, ${CONCURRENCY} connections, ${durationMs / 1000} s each, ${rounds} round(s)`);
console.log(
  `${'server'.padEnd(32)}${'events/s'.padEnd(14)}${'CPU bound/s'.padEnd(14)}${'µs/event server + generator'.padEnd(30)}CPU % server / generator / machine`,
);
for (const level of LEVELS) {
  const runs = results.filter((result) => result.level === level);
  const pick = (key: keyof Omit<Measured, 'level'>) => range(runs.map((run) => run[key]));
  console.log(
    describe[level].padEnd(32) +
      pick('eventsPerSec').padEnd(14) +
      pick('cpuBoundPerSec').padEnd(14) +
      `${pick('serverCpuUsPerEvent')} + ${pick('generatorCpuUsPerEvent')}`.padEnd(30) +
      `${pick('serverCpuPct')} / ${pick('generatorCpuPct')} / ${pick('machineBusyPct')} (of 200)`,
  );
}
