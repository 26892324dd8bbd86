import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Release naming consistency: the version in the repository's manifest, the release name
 * (--release / SENTRY_RELEASE) and the git tag should name the same version. Reads files and
 * runs read-only git commands; changes nothing.
 */

export interface ManifestVersion {
  file: string;
  name: string | null;
  version: string;
}

type Reader = (text: string) => { name: string | null; version: string | null };

const tomlValue = (text: string, section: RegExp, key: string) => {
  const body = section.exec(text)?.[1] ?? '';
  return new RegExp(`^\\s*${key}\\s*=\\s*["']([^"']+)["']`, 'm').exec(body)?.[1] ?? null;
};
const jsonVersion: Reader = (text) => {
  const json = JSON.parse(text);
  return {
    name: typeof json.name === 'string' ? json.name : (json.productName ?? null),
    version: typeof json.version === 'string' ? json.version : null,
  };
};

/** Where each ecosystem keeps its version; the first manifest with one wins. */
const MANIFESTS: [string, Reader][] = [
  ['package.json', jsonVersion],
  ['src-tauri/tauri.conf.json', jsonVersion],
  [
    'pyproject.toml',
    (text) => {
      const section = /^\[(?:project|tool\.poetry)\]\s*$([\s\S]*?)(?=^\[|$(?![\s\S]))/m;
      return { name: tomlValue(text, section, 'name'), version: tomlValue(text, section, 'version') };
    },
  ],
  [
    'Cargo.toml',
    (text) => {
      const section = /^\[package\]\s*$([\s\S]*?)(?=^\[|$(?![\s\S]))/m;
      return { name: tomlValue(text, section, 'name'), version: tomlValue(text, section, 'version') };
    },
  ],
  [
    'pom.xml',
    (text) => {
      // The project's own version, not its <parent>'s or a dependency's.
      const own = text.replace(/<parent>[\s\S]*?<\/parent>/, '').replace(/<dependencies>[\s\S]*$/, '');
      return {
        name: /<artifactId>\s*([^<\s]+)\s*<\/artifactId>/.exec(own)?.[1] ?? null,
        version: /<version>\s*([^<\s]+)\s*<\/version>/.exec(own)?.[1] ?? null,
      };
    },
  ],
  [
    'build.gradle',
    (text) => ({ name: null, version: /^\s*version\s*=?\s*["']([^"']+)["']/m.exec(text)?.[1] ?? null }),
  ],
  [
    'build.gradle.kts',
    (text) => ({ name: null, version: /^\s*version\s*=\s*"([^"]+)"/m.exec(text)?.[1] ?? null }),
  ],
];

export function manifestVersion(root: string): ManifestVersion | null {
  for (const [file, read] of MANIFESTS) {
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    try {
      const { name, version } = read(text);
      if (version) return { file, name, version };
    } catch {
      // An unparseable manifest names no version; the next one may.
    }
  }
  return null;
}

export interface GitFacts {
  head: string | null;
  tagOnHead: string | null;
  latestTag: string | null;
}

function git(root: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', ['-C', root, ...args], { timeout: 5000 }, (error, stdout) =>
      resolve(error ? null : stdout.trim() || null),
    );
  });
}

/** Null when the root is not in a git work tree (or git is missing). */
export async function gitFacts(root: string): Promise<GitFacts | null> {
  const head = await git(root, ['rev-parse', 'HEAD']);
  if (!head) return null;
  const [tagOnHead, latestTag] = await Promise.all([
    git(root, ['describe', '--tags', '--exact-match', 'HEAD']),
    git(root, ['describe', '--tags', '--abbrev=0']),
  ]);
  return { head, tagOnHead, latestTag };
}

const SEMVER = /(\d+\.\d+(?:\.\d+)?(?:-[0-9A-Za-z.-]+)?)(?:\+[0-9A-Za-z.-]+)?$/;
const COMMITISH = /^[0-9a-f]{7,40}$/i;

/** `web@1.4.0+42` → `1.4.0`, `v1.4.0` → `1.4.0`, `web-v1.4.0-rc.1` → `1.4.0-rc.1`; build metadata dropped. */
export function versionOf(name: string): string | null {
  const afterPackage = name.includes('@') ? name.slice(name.lastIndexOf('@') + 1) : name;
  return SEMVER.exec(afterPackage)?.[1] ?? null;
}

/**
 * The commit a release is named after, bare or after a package (`87b5fc1`, `web@87b5fc1`, as
 * `VERSION="web@$(git rev-parse --short HEAD)"` makes it), else null. All digits (`20240601`) is a
 * build number unless HEAD does start with it.
 */
function commitOf(release: string, head: string | null): string | null {
  const tail = release.slice(release.lastIndexOf('@') + 1);
  if (!COMMITISH.test(tail)) return null;
  if (/^\d+$/.test(tail) && !head?.startsWith(tail)) return null;
  return tail;
}

export interface NamingCheck {
  source: string;
  value: string;
  consistent: boolean;
  detail: string;
}

/** Each pair that can be compared: the release against the manifest, the tag on HEAD, or HEAD itself. */
export function compareNaming(
  release: string,
  manifest: ManifestVersion | null,
  git: GitFacts | null,
): NamingCheck[] {
  const checks: NamingCheck[] = [];
  const commit = commitOf(release, git?.head ?? null);
  if (commit !== null) {
    if (git?.head) {
      const consistent = git.head.toLowerCase().startsWith(commit.toLowerCase());
      checks.push({
        source: 'git HEAD',
        value: git.head.slice(0, 12),
        consistent,
        detail: 'release names a commit',
      });
    }
    return checks;
  }
  const version = versionOf(release);
  if (manifest) {
    checks.push({
      source: manifest.file,
      value: manifest.version,
      consistent: version !== null && versionOf(manifest.version) === version,
      detail: `release version ${version ?? '(none)'}`,
    });
  }
  if (git?.tagOnHead) {
    checks.push({
      source: 'git tag on HEAD',
      value: git.tagOnHead,
      consistent: version !== null && versionOf(git.tagOnHead) === version,
      detail: `release version ${version ?? '(none)'}`,
    });
  }
  return checks;
}
