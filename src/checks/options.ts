import { join, resolve } from 'node:path';
import { invalid } from '../app-error.ts';
import { CHECK_MODES, type CheckMode } from './schemas.ts';

/** sentry-cli's default server, for a token from SENTRY_AUTH_TOKEN and no URL. */
export const DEFAULT_URL = 'https://sentry.io';
/** Where every other firebreak command looks by default (src/cli/connect.ts). */
const FIREBREAK_DEFAULT_URL = 'http://127.0.0.1:8000';

/** The flags `firebreak check` takes (secrets never come from flags: shell history keeps them). */
export interface CheckFlags {
  mode?: string;
  url?: string;
  org?: string;
  project?: string;
  'repo-root'?: string;
  'state-file'?: string;
  release?: string;
  json?: boolean;
  'require-host-network'?: boolean;
  'strict-network'?: boolean;
  'auto-slug-discovery'?: boolean;
  'no-auto-slug-discovery'?: boolean;
  'send-test-event'?: boolean;
}

export type Env = Record<string, string | undefined>;

export interface CheckOptions {
  mode: CheckMode;
  url: string;
  urlSource: string;
  org: string | null;
  orgSource: string | null;
  project: string | null;
  projectSource: string | null;
  repoRoot: string;
  repoRootGiven: boolean;
  /** --state-file, or null: verify-loop then keeps one file per server/org/project in stateDir. */
  stateFile: string | null;
  stateDir: string;
  release: string | null;
  releaseSource: 'flag' | 'env' | null;
  json: boolean;
  /** Network or API unavailability is a FAIL instead of an inconclusive PARTIAL. */
  strictNetwork: boolean;
  requireHostNetwork: boolean;
  autoSlugDiscovery: boolean;
  sendTestEvent: boolean;
  token: string | null;
  tokenSource: string | null;
  dsn: string | null;
}

/** Flags > environment > what an organisation token carries > defaults, as sentry-cli resolves them. */
export function checkOptionsFrom(flags: CheckFlags, env: Env, cwd: string): CheckOptions {
  if (!flags.mode) throw invalid(`--mode is required (${CHECK_MODES.join(', ')})`);
  if (!(CHECK_MODES as readonly string[]).includes(flags.mode)) {
    throw invalid(`unknown --mode "${flags.mode.slice(0, 40)}" (one of ${CHECK_MODES.join(', ')})`);
  }
  if (flags['auto-slug-discovery'] && flags['no-auto-slug-discovery']) {
    throw invalid('--auto-slug-discovery and --no-auto-slug-discovery contradict each other');
  }
  const [tokenSource, token] = firstSet(env, ['FIREBREAK_TOKEN', 'SENTRY_AUTH_TOKEN']);
  const claims = token ? orgTokenClaims(token) : null;
  // Like every firebreak command, FIREBREAK_URL and FIREBREAK_ORG count, before Sentry's names.
  // Only a token from SENTRY_AUTH_TOKEN defaults to sentry.io (as sentry-cli): a Firebreak token
  // with no URL given goes to the local server, never to a third party.
  const [urlSource, url] = pick([
    ['--url', flags.url],
    ['FIREBREAK_URL', env.FIREBREAK_URL],
    ['SENTRY_URL', env.SENTRY_URL],
    ['the organisation token', claims?.url],
    ['default', tokenSource === 'SENTRY_AUTH_TOKEN' ? DEFAULT_URL : FIREBREAK_DEFAULT_URL],
  ]);
  const [orgSource, org] = pick([
    ['--org', flags.org],
    ['FIREBREAK_ORG', env.FIREBREAK_ORG],
    ['SENTRY_ORG', env.SENTRY_ORG],
    ['the organisation token', claims?.org],
  ]);
  const [projectSource, project] = pick([
    ['--project', flags.project],
    ['SENTRY_PROJECT', env.SENTRY_PROJECT],
  ]);
  const release = flags.release || env.SENTRY_RELEASE || null;
  return {
    mode: flags.mode as CheckMode,
    url: normaliseUrl(url!),
    urlSource: urlSource!,
    org,
    orgSource,
    project,
    projectSource,
    repoRoot: resolve(cwd, flags['repo-root'] ?? '.'),
    repoRootGiven: flags['repo-root'] !== undefined,
    stateFile: flags['state-file'] ? resolve(cwd, flags['state-file']) : null,
    stateDir: defaultStateDir(env),
    release,
    releaseSource: flags.release ? 'flag' : env.SENTRY_RELEASE ? 'env' : null,
    json: flags.json ?? false,
    strictNetwork: Boolean(flags['strict-network'] || flags['require-host-network']),
    requireHostNetwork: flags['require-host-network'] ?? false,
    autoSlugDiscovery: !flags['no-auto-slug-discovery'],
    sendTestEvent: flags['send-test-event'] ?? false,
    token,
    tokenSource,
    dsn: env.SENTRY_DSN || null,
  };
}

function firstSet(env: Env, names: string[]): [string | null, string | null] {
  for (const name of names) if (env[name]) return [name, env[name]!];
  return [null, null];
}

function pick(candidates: [string, string | undefined][]): [string | null, string | null] {
  for (const [source, value] of candidates) if (value) return [source, value];
  return [null, null];
}

function normaliseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('--url must be an http(s) URL such as https://sentry.io or http://127.0.0.1:8000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('--url must be http or https');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * An organisation token (`sntrys_` + base64 JSON claims + `_` + secret) names its server and
 * organisation; sentry-cli reads them the same way (reference/sentry-clients.md §3).
 */
export function orgTokenClaims(token: string): { url?: string; org?: string } | null {
  if (!token.startsWith('sntrys_')) return null;
  const payload = token.split('_')[1];
  try {
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64').toString('utf8'));
    return {
      url: typeof claims.url === 'string' ? claims.url : undefined,
      org: typeof claims.org === 'string' ? claims.org : undefined,
    };
  } catch {
    return null;
  }
}

/** Outside the repository: the check never writes into the application it inspects. */
function defaultStateDir(env: Env): string {
  return join(env.XDG_STATE_HOME || join(env.HOME || '.', '.local', 'state'), 'firebreak', 'checks');
}
