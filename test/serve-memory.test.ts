import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { spawnServe } from './helpers/cli-server.ts';

/**
 * `firebreak serve` re-executes itself (same pid) with a small V8 young generation and two malloc
 * arenas (docs/decisions/0010-serve-memory-settings.md); settings the operator gave win.
 */

const dir = mkdtempSync(join(tmpdir(), 'firebreak-serve-memory-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function processSettings(pid: number) {
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  return {
    semiSpace: argv.filter((arg) => arg.startsWith('--max-semi-space-size')),
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
    arenas: 'MALLOC_ARENA_MAX=2',
  });
});

test("the operator's own young-generation size and arena count are kept", async () => {
  const settings = await settingsOf('operator', {
    NODE_OPTIONS: '--max-semi-space-size=16',
    MALLOC_ARENA_MAX: '8',
  });
  assert.deepEqual(settings, { semiSpace: [], arenas: 'MALLOC_ARENA_MAX=8' });
});
