#!/usr/bin/env node
// Firebreak runs its TypeScript directly, which needs Node ≥ 22.18 (type stripping, node:sqlite).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `firebreak needs Node.js >= 22.18 (this is ${process.versions.node}). ` +
      'Run it through npm (npx firebreak …, npm start), which uses the Node 24 the project installs.',
  );
  process.exit(1);
}
// Output piped into `head` closes early: that is the reader being done, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
// `serve` runs with a small young generation and few malloc arenas (docs/decisions/0010): left to
// its defaults, V8 grows each isolate's new space to 64 MB under ingest load and glibc gives every
// thread its own arena, together ~130 MB of peak RSS for no measurable throughput. Node reads
// both only at process start, so the process re-executes itself once (same pid) with them set.
// A semi-space size already given (flag or NODE_OPTIONS) is left alone.
const SEMI_SPACE_FLAG = '--max-semi-space-size';
if (
  process.argv[2] === 'serve' &&
  typeof process.execve === 'function' &&
  !process.execArgv.some((arg) => arg.startsWith(SEMI_SPACE_FLAG)) &&
  !(process.env.NODE_OPTIONS ?? '').includes(SEMI_SPACE_FLAG)
) {
  process.execve(
    process.execPath,
    [process.execPath, `${SEMI_SPACE_FLAG}=2`, ...process.execArgv, ...process.argv.slice(1)],
    { MALLOC_ARENA_MAX: '2', ...process.env },
  );
}
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
