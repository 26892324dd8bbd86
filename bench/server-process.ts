import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GcTrace } from './gc-trace.ts';

/** The real CLI, run as child processes of the bench: `firebreak setup` and `firebreak serve`. */

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
/** USER_HZ: /proc/<pid>/stat counts CPU time in these ticks; 100 on every mainstream Linux. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface BenchProject {
  projectId: string;
  publicKey: string;
}

export async function setupProject(databaseUrl: string): Promise<BenchProject> {
  const args = ['bin/firebreak.js', 'setup', '--org', 'bench', '--project', 'ingest'];
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [...args, '--database', databaseUrl, '--json'],
    { cwd: REPO_ROOT },
  );
  const result = JSON.parse(stdout) as { projectId: string; dsn: string };
  return { projectId: String(result.projectId), publicKey: new URL(result.dsn).username };
}

export interface ServerProcess {
  origin: string;
  pid: number;
  /** User + system CPU time the server has used so far. */
  cpuMs(): number;
  /** VmHWM: the server's peak resident set size so far. */
  peakRssBytes(): number;
  /** Error-level log lines the server printed so far (pino level 50+). */
  errorLogLines(): number;
  /** The server's garbage-collector pauses, when it was started with `traceGc`. */
  gcTrace: GcTrace | null;
  /** SIGTERM, then wait for the graceful exit (SIGKILL after a timeout). */
  stop(): Promise<void>;
}

/** Starts `node bin/firebreak.js serve` directly (no npm wrapper), so the pid is the server's. */
export async function startServer(
  databaseUrl: string,
  options: { cpuProfileDir?: string; traceGc?: boolean } = {},
): Promise<ServerProcess> {
  const { cpuProfileDir, traceGc } = options;
  const nodeArgs = [
    ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
    ...(traceGc ? ['--trace-gc'] : []),
    // Extra V8/Node flags for the server under test, e.g. BENCH_SERVER_NODE_ARGS=--optimize-for-size.
    ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      'bin/firebreak.js',
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--database',
      databaseUrl,
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errorLines = 0;
  let recentOutput = '';
  const gcTrace = traceGc ? new GcTrace() : null;
  // V8 writes its trace lines to stdout.
  if (gcTrace) child.stdout.on('data', (chunk: Buffer) => gcTrace.feed(chunk.toString()));
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    errorLines += text.match(/"level":(?:50|60)/g)?.length ?? 0;
    recentOutput = (recentOutput + text).slice(-4000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const origin = await waitForListening(child, () => recentOutput);
  const pid = child.pid!;
  return {
    origin,
    pid,
    cpuMs: () => readCpuMs(pid),
    peakRssBytes: () => readPeakRssBytes(pid),
    errorLogLines: () => errorLines,
    gcTrace,
    stop: () => stopChild(child),
  };
}

async function waitForListening(child: ChildProcess, output: () => string): Promise<string> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const match = /firebreak listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output());
    if (match) return match[1];
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`firebreak serve did not start:\n${output()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Busy and total jiffies over all CPUs, from the first line of /proc/stat. */
export function readMachineCpu(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

function readPeakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmHWM in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
