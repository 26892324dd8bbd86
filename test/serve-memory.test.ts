import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { spawnServe } from './helpers/cli-server.ts';

/**
 * `firebreak serve` re-executes itself (same pid) with a small V8 young generation, a low heap
 * growing factor and two malloc arenas (docs/decisions/0010-serve-memory-settings.md), and with
 * its sources pre-stripped of types (0011); settings the operator gave win.
 */

const dir = mkdtempSync(join(tmpdir(), 'firebreak-serve-memory-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function processSettings(pid: number) {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return {
    semiSpace: argv.filter((arg) => arg.startsWith('--max-semi-space-size')),
    heapGrowing: argv.filter((arg) => arg.startsWith('--heap-growing-percent')),
    exposeGc: argv.includes('--expose-gc'),
    preStripped: argv.some(
      (arg) => arg.startsWith('--import=') && arg.endsWith('/bin/stripped-sources-hooks.js'),
    ),
    arenas: environ.find((entry) => entry.startsWith('MALLOC_ARENA_MAX=')),
  };
}

async function settingsOf(name: string, env: Record<string, string> = {}) {
  const server = await spawnServe(['--database', `sqlite:${join(dir, `${name}.db`)}`], env);
  try {
    assert.equal((await fetch(`${server.url}/_health/`)).status, 200);
    return processSettings(server.child.pid!);
  } finally {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  }
}

test('serve runs with the memory settings, in the process it was started as', async () => {
  assert.deepEqual(await settingsOf('defaults'), {
    semiSpace: ['--max-semi-space-size=2'],
    heapGrowing: ['--heap-growing-percent=35'],
    exposeGc: true,
    preStripped: true,
    arenas: 'MALLOC_ARENA_MAX=2',
  });
});

test("the operator's own young-generation size and arena count are kept", async () => {
  const settings = await settingsOf('operator', {
    NODE_OPTIONS: '--max-semi-space-size=16',
    MALLOC_ARENA_MAX: '8',
  });
  assert.deepEqual(settings, {
    semiSpace: [],
    heapGrowing: ['--heap-growing-percent=35'],
    exposeGc: true,
    preStripped: true,
    arenas: 'MALLOC_ARENA_MAX=8',
  });
});

test("no thread of the server loads Node's type stripper: every source comes pre-stripped", async () => {
  const probeDir = join(dir, 'probe');
  mkdirSync(probeDir);
  // Preloaded into every thread of the re-executed server (workers inherit the flags); it
  // records whether that thread has loaded amaro, Node's TypeScript stripper.
  const probe = join(dir, 'probe.mjs');
  writeFileSync(
    probe,
    `import { renameSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
if (process.execArgv.some((arg) => arg.includes('stripped-sources-hooks'))) {
  const file = ${JSON.stringify(probeDir)} + '/thread-' + threadId;
  setInterval(() => {
    const loaded = process.moduleLoadList.some((name) => name.includes('amaro'));
    // Written aside and renamed, so the test never reads a file caught half-written.
    writeFileSync(file + '.tmp', String(loaded));
    renameSync(file + '.tmp', file);
  }, 20).unref();
}
`,
  );
  const server = await spawnServe(['--database', `sqlite:${join(dir, 'probe.db')}`], {
    NODE_OPTIONS: `--import=${probe}`,
  });
  try {
    assert.equal((await fetch(`${server.url}/_health/`)).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const threads = readdirSync(probeDir).filter((name) => !name.endsWith('.tmp'));
    // The main thread, the prepare worker and the SQLite checkpointer.
    assert.ok(threads.length >= 3, `threads seen: ${threads.join(', ')}`);
    for (const thread of threads) assert.equal(readFileSync(join(probeDir, thread), 'utf8'), 'false', thread);
  } finally {
    server.child.kill('SIGTERM');
    assert.equal(await server.exited, 0);
  }
});
