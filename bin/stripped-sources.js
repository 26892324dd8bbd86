// Serves Firebreak's TypeScript sources already stripped of their types, from a content-addressed
// cache, so the serving threads never load Node's type stripper (amaro, a WebAssembly build of
// swc: ~18 MB of resident memory in every thread that strips a file). See
// docs/decisions/0011-pre-stripped-sources-for-serve.md.
//
// Plain JavaScript on purpose: this file runs before any TypeScript may be loaded.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_ROOT = join(PACKAGE_ROOT, 'src');
const SOURCE_URL_PREFIX = pathToFileURL(SOURCE_ROOT).href + '/';
export const CACHE_DIR = join(PACKAGE_ROOT, 'node_modules', '.cache', 'firebreak', 'stripped');

/**
 * The cache key of one source text. Content-addressed, so an edited file can never be served
 * stale; the Node version is part of it because the stripper ships with Node.
 */
function cacheKey(source) {
  return createHash('sha256').update(process.version).update('\0').update(source).digest('hex');
}

/**
 * Strips every non-test source file whose text is not cached yet and drops entries no current
 * file needs. Returns false (and changes nothing more) when the cache cannot be written, e.g. a
 * read-only install: Firebreak then runs its TypeScript directly, as without the cache.
 */
export function warmStrippedSources(sourceRoot = SOURCE_ROOT, cacheDir = CACHE_DIR) {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const wanted = new Set();
    const cached = new Set(readdirSync(cacheDir));
    for (const file of sourceFiles(sourceRoot)) {
      const source = readFileSync(file, 'utf8');
      const name = `${cacheKey(source)}.js`;
      wanted.add(name);
      if (!cached.has(name)) writeAtomically(join(cacheDir, name), strip(source));
    }
    for (const name of cached) {
      if (!wanted.has(name) && name.endsWith('.js')) rmSync(join(cacheDir, name), { force: true });
    }
    return true;
  } catch {
    return false;
  }
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) yield path;
  }
}

/** Strip mode blanks types out in place, so line and column numbers (stack traces) stay true. */
function strip(source) {
  // The API is marked experimental and says so on stderr each run; the warning is noise here.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => {};
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emitWarning;
  }
}

/** Concurrent warmers (tests start many servers) each write whole files or nothing. */
function writeAtomically(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

/**
 * Answers loads of `src/**.ts` from the cache. A miss (a file changed since the cache was
 * warmed, or no cache) falls through to Node, which strips the file itself: slower, never wrong.
 */
export function registerStrippedSourceHooks(sourceUrlPrefix = SOURCE_URL_PREFIX, cacheDir = CACHE_DIR) {
  registerHooks({
    load(url, context, nextLoad) {
      if (!url.startsWith(sourceUrlPrefix) || !url.endsWith('.ts')) return nextLoad(url, context);
      const key = cacheKey(readFileSync(fileURLToPath(url), 'utf8'));
      let source;
      try {
        source = readFileSync(join(cacheDir, `${key}.js`), 'utf8');
      } catch {
        return nextLoad(url, context);
      }
      return { format: 'module', source, shortCircuit: true };
    },
  });
}
