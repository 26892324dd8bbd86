import type { Location } from '../schemas.ts';
import { lineOf, type RepoFile } from './walk-repo.ts';

/**
 * Where the repository initialises Sentry, how the DSN reaches it, how releases are named and
 * whether source maps / debug files are uploaded: found by patterns in source, config and CI
 * files. Patterns, not parsers: a finding is evidence with a file:line a person can open.
 */

const SOURCE =
  /\.(m?[jt]sx?|c[jt]s|vue|svelte|astro|py|go|rb|java|kts?|scala|groovy|php|rs|cs|fs|swift|dart|ex|exs)$/;
const CONFIG = /\.(ya?ml|json|toml|properties|xml|ini|cfg|conf|gradle|html)$|^(\.sentryclirc|Dockerfile)$/;
const CI_OR_BUILD =
  /^(\.github\/workflows\/.+\.ya?ml|\.gitlab-ci\.yml|\.circleci\/config\.yml|Jenkinsfile|azure-pipelines\.yml|bitbucket-pipelines\.yml|\.travis\.yml|cloudbuild\.ya?ml|(.*\/)?(Makefile|Dockerfile|package\.json|Fastfile|build\.gradle(\.kts)?|pom\.xml|(vite|webpack|next|nuxt|rollup|astro|svelte)\.config\.[cm]?[jt]s|[\w.-]+\.sh))$/;
const ENV_EXAMPLE =
  /^(\.env(\.[\w-]+)*\.(example|sample|template|dist|defaults)|(example|sample|template)\.env|env\.(example|sample|template))$/i;
const ENV_DOCS = /^(docker-compose[\w.-]*\.ya?ml|compose\.ya?ml|app\.json)$/;

const INIT_PATTERNS: [RegExp, string][] = [
  [/\bSentry\.init\s*(\(|\{|do\b)/g, 'Sentry.init'],
  [/\bsentry_sdk\.init\s*\(/g, 'sentry_sdk.init'],
  [/\bsentry\.Init\s*\(/g, 'sentry.Init'],
  [/\bsentry::init\s*\(/g, 'sentry::init'],
  [/\\?\bSentry\\init\s*\(/g, 'Sentry\\init'],
  [/\bSentrySdk\.Init\s*\(|\.UseSentry\s*\(/g, 'SentrySdk.Init'],
  [/\b(SentryAndroid|SentryFlutter)\.init\s*\(/g, 'SentryAndroid/SentryFlutter.init'],
];
/** `import { init } from '@sentry/node'; init({ … })`. */
const NAMED_INIT = /\binit\s*\(\s*\{/g;
const IMPORTS_SENTRY = /(?:from\s+|require\s*\(\s*)["']@sentry\/[\w-]+["']/;
/** Spring Boot and sentry.properties configure the Java SDK without an init call. */
const DSN_PROPERTY = /^\s*sentry\.dsn\s*[=:]/gm;

/** A DSN with a 32-hex key: what Sentry and Firebreak issue, so a real one rather than a placeholder. */
const DSN_LITERAL = /\bhttps?:\/\/[0-9a-f]{32}(?::[0-9a-f]{32})?@[a-z0-9.-]+(?::\d+)?(?:\/[\w.-]+)*\/\d+\b/gi;
const DSN_ENV_VAR = /\b([A-Z][A-Z0-9_]*_SENTRY_DSN|SENTRY_DSN)\b/g;

const RELEASE_IN_INIT = /\brelease\s*[:=]|\bRelease\s*[:=]|\.release\s*=|setRelease\s*\(|\.Release\s*=/;
const RELEASE_ANYWHERE: [RegExp, string][] = [
  [/\bSENTRY_RELEASE\b/g, 'SENTRY_RELEASE'],
  [/sentry-cli\s+releases\s+(new|propose-version|set-commits|finalize)/g, 'sentry-cli releases'],
  [/getsentry\/action-release/g, 'getsentry/action-release'],
];

const UPLOAD_PATTERNS: [RegExp, string][] = [
  [
    /sentry-cli\s+(sourcemaps\s+(upload|inject)|releases\s+files\s+\S+\s+upload-sourcemaps)/g,
    'sentry-cli sourcemaps',
  ],
  [
    /sentry-cli\s+(debug-files\s+upload|upload-dif|upload-dsym|dif\s+upload)/g,
    'sentry-cli debug-files upload',
  ],
  [/sentry-cli\s+(upload-proguard|proguard\s+upload)/g, 'sentry-cli upload-proguard'],
  [
    /@sentry\/(webpack|vite|rollup|esbuild)-plugin|sentry(Webpack|Vite|Rollup|Esbuild)Plugin/g,
    'Sentry bundler plugin',
  ],
  [/\bwithSentryConfig\s*\(/g, 'withSentryConfig (Next.js)'],
  [/getsentry\/action-release/g, 'getsentry/action-release'],
  [/io\.sentry\.(android\.gradle|jvm\.gradle)|sentry-maven-plugin/g, 'Sentry Gradle/Maven plugin'],
];

export interface WiringFindings {
  initCalls: Location[];
  hardcodedDsns: (Location & { dsn: string })[];
  dsnEnvVars: string[];
  envExampleFiles: string[];
  documentedVars: Set<string>;
  releaseWiring: Location[];
  uploadWiring: Location[];
}

export function scanWiring(files: RepoFile[]): WiringFindings {
  const found: WiringFindings = {
    initCalls: [],
    hardcodedDsns: [],
    dsnEnvVars: [],
    envExampleFiles: [],
    documentedVars: new Set(),
    releaseWiring: [],
    uploadWiring: [],
  };
  const dsnVars = new Set<string>();
  for (const file of files) {
    const isSource = SOURCE.test(file.name);
    const isConfig = CONFIG.test(file.name);
    const isCi = CI_OR_BUILD.test(file.path);
    if (ENV_EXAMPLE.test(file.name) || ENV_DOCS.test(file.name)) {
      if (ENV_EXAMPLE.test(file.name)) found.envExampleFiles.push(file.path);
      for (const m of file.read().matchAll(/\b([A-Z][A-Z0-9_]*)\b/g)) found.documentedVars.add(m[1]);
    }
    if (!isSource && !isConfig && !isCi && !ENV_EXAMPLE.test(file.name)) continue;
    const text = file.read();
    const at = (index: number, what: string): Location => ({
      file: file.path,
      line: lineOf(text, index),
      what,
    });

    // Example env files hold placeholders; a real key there is as leaked as one in source.
    for (const m of text.matchAll(DSN_LITERAL))
      found.hardcodedDsns.push({ ...at(m.index, 'DSN'), dsn: m[0] });
    if (ENV_EXAMPLE.test(file.name)) continue;
    for (const m of text.matchAll(DSN_ENV_VAR)) dsnVars.add(m[1]);

    const inits: Location[] = [];
    if (isSource) {
      for (const [pattern, what] of INIT_PATTERNS)
        for (const m of text.matchAll(pattern)) inits.push(at(m.index, what));
      if (inits.length === 0 && IMPORTS_SENTRY.test(text)) {
        for (const m of text.matchAll(NAMED_INIT)) inits.push(at(m.index, 'init (named import)'));
      }
    }
    if (isConfig) for (const m of text.matchAll(DSN_PROPERTY)) inits.push(at(m.index, 'sentry.dsn property'));
    found.initCalls.push(...inits);
    if (inits.length > 0) {
      const m = RELEASE_IN_INIT.exec(text);
      if (m) found.releaseWiring.push(at(m.index, 'release set where Sentry is initialised'));
    }
    for (const [pattern, what] of RELEASE_ANYWHERE) {
      const m = pattern.exec(text);
      pattern.lastIndex = 0;
      if (m) found.releaseWiring.push(at(m.index, what));
    }
    for (const [pattern, what] of UPLOAD_PATTERNS) {
      // A plugin listed as a dependency is not yet a plugin configured in the build.
      if (file.name === 'package.json' && what === 'Sentry bundler plugin') continue;
      const m = pattern.exec(text);
      pattern.lastIndex = 0;
      if (m) found.uploadWiring.push(at(m.index, what));
    }
  }
  found.dsnEnvVars = [...dsnVars].sort();
  return found;
}
