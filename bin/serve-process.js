// How `firebreak serve` runs: the settings below are read only at process start, so the process
// re-executes itself once with them (process.execve: same pid, so service managers, signals and
// the benchmark still see one process). Decisions 0010 and 0011 hold the measurements.
import { warmStrippedSources } from './stripped-sources.js';

// A small young generation (ingest's allocations die young) and a lower heap growing factor (a
// major GC once the old generation is 1.35× its live size, instead of V8's 1.1–4× by GC speed):
// without them, dead request buffers and objects wait long enough to cost ~100 MB of peak RSS.
// `gc` is exposed for the prepare worker, which asks for a major GC of its own small heap when
// dead byte buffers pile up (src/digest/prepare-worker.ts).
const NODE_FLAGS = [
  ['--max-semi-space-size', '=2'],
  ['--heap-growing-percent', '=35'],
  ['--expose-gc', ''],
];
const HOOKS_URL = new URL('./stripped-sources-hooks.js', import.meta.url).href;

/** Re-executes the process with whichever settings are missing; an operator's own values win. */
export function reexecuteForServe() {
  if (typeof process.execve !== 'function') return; // Windows, or an older Node: its defaults.
  const given = (flag) =>
    process.execArgv.some((arg) => arg.startsWith(flag)) || (process.env.NODE_OPTIONS ?? '').includes(flag);
  const flags = NODE_FLAGS.filter(([flag]) => !given(flag)).map(([flag, value]) => flag + value);
  const hooksMissing = !process.execArgv.includes(`--import=${HOOKS_URL}`);
  // Stripping here costs this process, which the exec below replaces: the served threads never
  // load the stripper. Where the cache cannot be written, TypeScript runs directly as before.
  if (hooksMissing && warmStrippedSources()) flags.push(`--import=${HOOKS_URL}`);
  const arenasMissing = process.env.MALLOC_ARENA_MAX === undefined;
  if (flags.length === 0 && !arenasMissing) return;
  process.execve(
    process.execPath,
    [process.execPath, ...flags, ...process.execArgv, ...process.argv.slice(1)],
    {
      MALLOC_ARENA_MAX: '2',
      ...process.env,
    },
  );
}
