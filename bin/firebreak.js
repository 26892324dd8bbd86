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
// `serve` re-executes itself once with its memory settings and pre-stripped sources (serve-process.js).
if (process.argv[2] === 'serve') {
  const { reexecuteForServe } = await import('./serve-process.js');
  reexecuteForServe();
}
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
