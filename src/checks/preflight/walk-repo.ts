import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Directories that hold dependencies, build output or tool state, never the app's own wiring. */
const SKIPPED_DIRS = new Set([
  'node_modules',
  'bower_components',
  '.git',
  '.hg',
  '.svn',
  'vendor',
  'dist',
  'build',
  'out',
  'target',
  '.next',
  '.nuxt',
  '.svelte-kit',
  '.turbo',
  '.cache',
  'coverage',
  '.venv',
  'venv',
  '__pycache__',
  '.tox',
  '.mypy_cache',
  '.pytest_cache',
  '.gradle',
  '.idea',
  'Pods',
  'DerivedData',
  '.terraform',
]);

/** Bounds that keep a scan of a huge monorepo to seconds. */
const MAX_FILES = 20_000;
const MAX_DEPTH = 12;
const MAX_FILE_BYTES = 512 * 1024;

export interface RepoFile {
  /** Relative to the repository root, with `/` separators. */
  path: string;
  name: string;
  read(): string;
}

export interface RepoListing {
  files: RepoFile[];
  truncated: boolean;
}

/** Lists the repository's files (no symlinks followed); contents are read on demand, once. */
export function walkRepo(root: string): RepoListing {
  const files: RepoFile[] = [];
  let truncated = false;
  const visit = (dir: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      if (files.length >= MAX_FILES) {
        truncated = true;
        return;
      }
      const abs = join(dir, name);
      let stat: ReturnType<typeof lstatSync>;
      try {
        stat = lstatSync(abs);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRS.has(name) && depth < MAX_DEPTH) visit(abs, depth + 1);
      } else if (stat.isFile() && stat.size <= MAX_FILE_BYTES) {
        files.push(repoFile(root, abs, name));
      }
    }
  };
  visit(root, 0);
  return { files, truncated };
}

function repoFile(root: string, abs: string, name: string): RepoFile {
  let text: string | null = null;
  return {
    path: relative(root, abs).split(sep).join('/'),
    name,
    read() {
      if (text === null) {
        try {
          text = readFileSync(abs, 'utf8');
        } catch {
          text = '';
        }
      }
      return text;
    },
  };
}

/** 1-based line of a character offset, for `file:line` evidence. */
export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
