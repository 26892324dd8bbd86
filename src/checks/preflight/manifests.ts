import type { RepoFile } from './walk-repo.ts';

/** A Sentry SDK found in a dependency manifest. */
export interface SdkFinding {
  ecosystem: string;
  manifest: string;
  packages: string[];
}

/** A manifest of an ecosystem, with or without Sentry in it. */
export interface ManifestFinding {
  ecosystem: string;
  manifest: string;
  sdkPackages: string[];
  /** This manifest's app ships code whose stack traces need uploaded source maps or debug files. */
  needsUpload: string | null;
}

interface Ecosystem {
  name: string;
  matches: (file: RepoFile) => boolean;
  sdkPackages: (text: string) => string[];
  needsUpload?: (text: string, file: RepoFile) => string | null;
  install: string;
}

/** `@sentry/*` packages that are build tooling, not an SDK that reports errors. */
const NPM_TOOLING =
  /^@sentry\/(cli|wizard|[\w-]+-plugin|bundler-plugin-core|babel-plugin-component-annotate)$/;
const NPM_BUNDLERS =
  /^(vite|webpack|next|nuxt|rollup|esbuild|parcel|react-scripts|@angular\/cli|astro|@sveltejs\/kit)$/;

function npmDependencies(text: string): string[] {
  try {
    const json = JSON.parse(text);
    return Object.keys({ ...json.dependencies, ...json.devDependencies, ...json.optionalDependencies });
  } catch {
    return [];
  }
}

function allMatches(text: string, pattern: RegExp, group = 1): string[] {
  return [...new Set([...text.matchAll(pattern)].map((m) => m[group]))];
}

export const ECOSYSTEMS: Ecosystem[] = [
  {
    name: 'npm',
    matches: (f) => f.name === 'package.json',
    sdkPackages: (text) =>
      npmDependencies(text).filter((d) => d.startsWith('@sentry/') && !NPM_TOOLING.test(d)),
    needsUpload: (text) => {
      let build = false;
      try {
        build = typeof JSON.parse(text).scripts?.build === 'string';
      } catch {}
      return build || npmDependencies(text).some((d) => NPM_BUNDLERS.test(d)) ? 'source maps' : null;
    },
    install: 'npm install @sentry/node  # or the SDK of your framework',
  },
  {
    name: 'python',
    matches: (f) => /^(requirements[\w.-]*\.txt|pyproject\.toml|Pipfile|setup\.py|setup\.cfg)$/.test(f.name),
    sdkPackages: (text) => allMatches(text, /(?:^|["'\s[,])(sentry[-_]sdk|raven)(?=[\s"'[\]=<>~!;,]|$)/gim),
    install: 'pip install sentry-sdk',
  },
  {
    name: 'go',
    matches: (f) => f.name === 'go.mod',
    sdkPackages: (text) => allMatches(text, /(github\.com\/getsentry\/sentry-go)\b/g),
    install: 'go get github.com/getsentry/sentry-go',
  },
  {
    name: 'ruby',
    matches: (f) => f.name === 'Gemfile' || f.name.endsWith('.gemspec'),
    sdkPackages: (text) =>
      allMatches(text, /["'](sentry-(?:ruby|rails|sidekiq|resque|delayed_job|raven))["']/g),
    install: 'bundle add sentry-ruby',
  },
  {
    name: 'java',
    matches: (f) => /^(pom\.xml|build\.gradle(\.kts)?)$/.test(f.name),
    sdkPackages: (text) => [
      ...allMatches(text, /<groupId>\s*io\.sentry\s*<\/groupId>\s*<artifactId>\s*([\w.-]+)\s*</g).map(
        (a) => `io.sentry:${a}`,
      ),
      ...allMatches(text, /["'](io\.sentry:[\w.-]+)/g),
      ...allMatches(text, /id\s*\(?\s*["'](io\.sentry\.[\w.-]+)["']/g),
    ],
    needsUpload: (text) =>
      /com\.android\.application/.test(text) ? 'ProGuard mappings and debug files' : null,
    install: 'add the io.sentry:sentry dependency (or sentry-spring-boot-starter-jakarta)',
  },
  {
    name: 'php',
    matches: (f) => f.name === 'composer.json',
    sdkPackages: (text) => allMatches(text, /"(sentry\/[\w-]+)"\s*:/g),
    install: 'composer require sentry/sentry',
  },
  {
    name: 'rust',
    matches: (f) => f.name === 'Cargo.toml',
    sdkPackages: (text) => allMatches(text, /^\s*(sentry(?:-[\w-]+)?)\s*=/gm),
    needsUpload: () => 'debug files',
    install: 'cargo add sentry',
  },
  {
    name: 'dotnet',
    matches: (f) => /\.(csproj|fsproj|vbproj)$/.test(f.name),
    sdkPackages: (text) => allMatches(text, /PackageReference\s+Include="(Sentry(?:\.[\w.]+)?)"/g),
    install: 'dotnet add package Sentry',
  },
  {
    name: 'dart',
    matches: (f) => f.name === 'pubspec.yaml',
    sdkPackages: (text) => allMatches(text, /^\s+(sentry(?:_flutter|_dart_plugin)?)\s*:/gm),
    install: 'dart pub add sentry',
  },
];

export function findManifests(files: RepoFile[]): ManifestFinding[] {
  const found: ManifestFinding[] = [];
  for (const file of files) {
    for (const eco of ECOSYSTEMS) {
      if (!eco.matches(file)) continue;
      const text = file.read();
      const sdkPackages = eco.sdkPackages(text).sort();
      found.push({
        ecosystem: eco.name,
        manifest: file.path,
        sdkPackages,
        needsUpload: sdkPackages.length > 0 && eco.needsUpload ? eco.needsUpload(text, file) : null,
      });
    }
  }
  return found;
}

export function installHint(ecosystem: string): string | null {
  return ECOSYSTEMS.find((e) => e.name === ecosystem)?.install ?? null;
}
