import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';

/**
 * The pre-stripped source cache `firebreak serve` runs from (bin/stripped-sources.js, decision
 * 0011), exercised in child processes on a small source tree: a cached file is served without
 * Node's stripper, an edited one is never served stale, and an unwritable cache is no failure.
 */

const module = pathToFileURL(join(import.meta.dirname, '..', 'bin', 'stripped-sources.js')).href;
const dir = mkdtempSync(join(tmpdir(), 'firebreak-stripped-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const src = join(dir, 'src');
const cache = join(dir, 'cache');
mkdirSync(src);
writeFileSync(
  join(src, 'a.ts'),
  `import { b } from './b.ts';
interface Shown { text: string }
const shown: Shown = { text: 'a' + b };
const stripperLoaded = process.moduleLoadList.some((name) => name.includes('amaro'));
console.log(shown.text, stripperLoaded, new Error().stack!.split('\\n')[1].split(':').at(-2));
`,
);
const writeB = (value: string) => writeFileSync(join(src, 'b.ts'), `export const b: string = '${value}';\n`);
writeB('b1');
writeFileSync(join(src, 'a.test.ts'), 'export {};\n');

function warm(cacheDir = cache): boolean {
  const script = `import { warmStrippedSources } from '${module}';
console.log(warmStrippedSources(${JSON.stringify(src)}, ${JSON.stringify(cacheDir)}));`;
  return (
    execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim() ===
    'true'
  );
}

/** Runs a.ts with the hooks registered: prints its text, whether amaro loaded, a.ts's line. */
function runWithHooks(): string {
  const hooks = `import { registerStrippedSourceHooks } from '${module}';
registerStrippedSourceHooks(${JSON.stringify(`${pathToFileURL(src).href}/`)}, ${JSON.stringify(cache)});`;
  const preload = `--import=data:text/javascript,${encodeURIComponent(hooks)}`;
  return execFileSync(process.execPath, [preload, join(src, 'a.ts')], { encoding: 'utf8' }).trim();
}

test('cached sources load without the stripper, with their line numbers intact', () => {
  assert.equal(warm(), true);
  assert.equal(readdirSync(cache).length, 2, 'a.ts and b.ts; test files are not served');
  assert.equal(runWithHooks(), 'ab1 false 5');
});

test('an edited file is never served stale: it falls through to Node, until warmed again', () => {
  writeB('b2');
  assert.equal(runWithHooks(), 'ab2 true 5');
  assert.equal(warm(), true);
  assert.equal(readdirSync(cache).length, 2, "the old b.ts's entry is pruned");
  assert.equal(runWithHooks(), 'ab2 false 5');
});

test('a cache that cannot be written is reported, not thrown', () => {
  const file = join(dir, 'not-a-directory');
  writeFileSync(file, '');
  assert.equal(warm(join(file, 'cache')), false);
});
