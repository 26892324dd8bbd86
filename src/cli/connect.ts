import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { AppError } from '../app-error.ts';
import { ApiClient } from './api-client.ts';
import { str, UsageError, type Values, type VerbInput } from './incident-args.ts';

/**
 * Which server, which organisation, which token: the one place every REST command of the CLI
 * (incident, postmortem, action, report, diagnostics, runbook, alert, notify) learns them.
 */

export const DEFAULT_URL = 'http://127.0.0.1:8000';

export type Env = Record<string, string | undefined>;

export interface ApiTarget {
  baseUrl: string;
  org: string | null;
  token: string | null;
}

/**
 * Flags, then the environment, then the claims inside an organisation token (`sntrys_…` names its
 * server and organisation, as sentry-cli reads it). The token itself comes only from the
 * environment, never a flag, so it stays out of shell history.
 */
export function resolveApiTarget(flags: { url?: string; org?: string }, env: Env): ApiTarget {
  const token = env.FIREBREAK_TOKEN || env.SENTRY_AUTH_TOKEN || null;
  const claims = token ? orgTokenClaims(token) : null;
  const url = flags.url || env.FIREBREAK_URL || claims?.url || DEFAULT_URL;
  return {
    baseUrl: normaliseBaseUrl(url),
    org: flags.org || env.FIREBREAK_ORG || claims?.org || null,
    token,
  };
}

function normaliseBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError(
      'VALIDATION',
      `--url ${JSON.stringify(url)} is not a URL (e.g. http://127.0.0.1:8000)`,
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('VALIDATION', `--url must be http:// or https://, not ${parsed.protocol}`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function orgTokenClaims(token: string): { url?: string; org?: string } | null {
  const match = /^sntrys_([A-Za-z0-9+/=]+)_/.exec(token);
  if (!match) return null;
  try {
    const claims = JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'));
    return {
      url: typeof claims?.url === 'string' ? claims.url : undefined,
      org: typeof claims?.org === 'string' ? claims.org : undefined,
    };
  } catch {
    return null;
  }
}

/** The flags every REST command takes besides its own. */
export const TARGET_OPTIONS = {
  url: { type: 'string' },
  org: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsOptionsConfig;

/** How `--help` starts to explain --url and --org. */
export const URL_ORG_HELP = `--url (or FIREBREAK_URL, default ${DEFAULT_URL}) names the server, --org (or FIREBREAK_ORG) the`;

export const TARGET_HELP = [
  URL_ORG_HELP,
  'organisation; the token is read from FIREBREAK_TOKEN (or SENTRY_AUTH_TOKEN). --json prints the',
  'API answer as it came. Exit codes: 2 bad usage or input, 3 not found, 4 not authorised, 6 unreachable.',
].join('\n');

/** A command's arguments, the organisation they act in, and a client for its server. */
export interface Connected extends VerbInput {
  json: boolean;
  target: ApiTarget;
  client: ApiClient;
}

/** Parses a command's (or verb's) arguments with the shared flags; no organisation is bad usage. */
export function connect(args: string[], options: ParseArgsOptionsConfig, env: Env): Connected {
  const { values, positionals } = parseArgs({
    args,
    options: { ...options, ...TARGET_OPTIONS },
    strict: true,
    allowPositionals: true,
  });
  const flags = values as Values;
  const target = resolveApiTarget({ url: str(flags, 'url'), org: str(flags, 'org') }, env);
  if (!target.org) throw new UsageError('no organisation: pass --org SLUG or set FIREBREAK_ORG');
  return {
    values: flags,
    positionals,
    org: target.org,
    env,
    json: flags.json === true,
    target,
    client: new ApiClient(target),
  };
}
