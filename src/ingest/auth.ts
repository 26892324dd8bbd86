import { AppError } from '../app-error.ts';

export interface IngestAuth {
  /** The DSN public key with any `.flags` suffix removed; not yet checked with isValidPublicKey. */
  publicKey: string;
  sentryVersion?: string;
  client?: string;
}

export interface IngestAuthRequest {
  /** Node's lower-cased header map. */
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
}

/** relay-event-schema `PROTOCOL_VERSION`. */
const PROTOCOL_VERSION = 7;

/**
 * Finds the DSN key the way Relay does (relay-server/src/extractors/request_meta.rs
 * `auth_from_parts`): X-Sentry-Auth, `Authorization: Sentry …`, `Authorization: Basic`, then the
 * query string. Two sources at once are refused. Returns null when there is none (a tunnelled
 * envelope may still carry a `dsn` header).
 */
export function extractIngestAuth(req: IngestAuthRequest): IngestAuth | null {
  const found: IngestAuth[] = [];
  const sentryHeader = sentryScheme(firstHeader(req.headers['x-sentry-auth']));
  if (sentryHeader !== null) found.push(parseAuthHeader(sentryHeader));
  const authorization = firstHeader(req.headers.authorization);
  const sentryAuthorization = sentryScheme(authorization);
  if (sentryAuthorization !== null) found.push(parseAuthHeader(sentryAuthorization));
  const basic = basicAuthKey(authorization);
  if (basic !== null) found.push({ publicKey: stripKeyFlags(basic) });
  if ([...req.query.keys()].some((k) => k.startsWith('sentry_'))) found.push(fromPairs(req.query.entries()));

  if (found.length > 1) throw new AppError('UNAUTHORIZED', 'multiple authorization payloads detected');
  return found[0] ?? null;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The pairs after a case-insensitive `Sentry ` prefix, or null for other schemes (e.g. Bearer). */
function sentryScheme(value: string | undefined): string | null {
  if (value === undefined || value.length < 7 || value.slice(0, 7).toLowerCase() !== 'sentry ') return null;
  return value.slice(7);
}

/** sentry-types / relay-common `Auth::from_str`: comma-separated key=value pairs, trimmed. */
function parseAuthHeader(pairs: string): IngestAuth {
  const entries: [string, string][] = [];
  for (const part of pairs.split(',')) {
    const eq = part.indexOf('=');
    if (eq >= 0) entries.push([part.slice(0, eq).trim(), part.slice(eq + 1).trim()]);
  }
  return fromPairs(entries);
}

function fromPairs(entries: Iterable<[string, string]>): IngestAuth {
  let publicKey = '';
  let sentryVersion: string | undefined;
  let client: string | undefined;
  for (const [key, value] of entries) {
    if (key === 'sentry_key') publicKey = value;
    else if (key === 'sentry_version') sentryVersion = value;
    else if (key === 'sentry_client') client = value;
  }
  if (publicKey === '') throw new AppError('UNAUTHORIZED', 'missing public key in auth header');
  if (sentryVersion !== undefined) checkVersion(sentryVersion);
  return { publicKey: stripKeyFlags(publicKey), sentryVersion, client };
}

function checkVersion(value: string): void {
  // `7` and `7.0` are both sent; only the major part counts.
  const major = value.split('.')[0];
  if (!/^\d{1,5}$/.test(major)) throw new AppError('UNAUTHORIZED', 'invalid value for version');
  if (Number(major) > PROTOCOL_VERSION) throw new AppError('VALIDATION', 'unsupported protocol version');
}

/** `Authorization: Basic base64(key:secret)`; undecodable values are not ingest auth at all (as in Relay). */
function basicAuthKey(value: string | undefined): string | null {
  if (value === undefined || value.length < 6 || value.slice(0, 6).toLowerCase() !== 'basic ') return null;
  const decoded = Buffer.from(value.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return decoded.slice(0, colon);
}

const MAX_DSN_LENGTH = 2048;

/**
 * The key and project id of an envelope header `dsn` (reference §1.1):
 * `{scheme}://{key}[:{secret}]@{host}[:{port}][/{path prefix}]/{project_id}`. Null if unusable.
 */
export function authFromDsn(dsn: unknown): { publicKey: string; projectId: string } | null {
  if (typeof dsn !== 'string' || dsn.length > MAX_DSN_LENGTH || !URL.canParse(dsn)) return null;
  const url = new URL(dsn);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const projectId = url.pathname.replace(/\/$/, '').split('/').pop() ?? '';
  if (url.username === '' || !/^\d+$/.test(projectId)) return null;
  return { publicKey: stripKeyFlags(url.username), projectId };
}

/** Relay `ProjectKey::parse_with_flags`: `<key>.<flag>.<flag>`, e.g. `.no-cache`. */
export function stripKeyFlags(key: string): string {
  const dot = key.indexOf('.');
  return dot < 0 ? key : key.slice(0, dot);
}

/** Relay requires exactly 32 ASCII characters; keys are generated as 32 hex. */
export function isValidPublicKey(k: string): boolean {
  return /^\w{32}$/.test(stripKeyFlags(k));
}
