import type { NormalizedEvent } from './event.ts';

/**
 * Sentry's default server-side data scrubbing (relay-pii `@password` and `@common` rules, sentry
 * `datascrubbing`): values under sensitive keys, card numbers, auth headers, URL credentials and
 * secret query parameters become "[Filtered]". Runs on every event, so it is one lazy-copying walk.
 */

const FILTERED = '[Filtered]';
const NESTED = '[Nested]';
const MAX_DEPTH = 20;
const MAX_STRING_CHARS = 16 * 1024;
const MIN_CARD_DIGITS = 13;

// Substring match like relay's PASSWORD_KEY_REGEX; `auth(?!or)` spares "author" but not "authorization".
const SENSITIVE_KEY =
  /pass(?:w|phrase)|pwd|secret|token|api[-_]?key|authorization|auth(?!or)|credential|session|cookie|csrf|xsrf|private[-_]?key|card[-_]?n(?:um|o)|credit[-_]?card|^cc[-_]?num|cvv|cvc/i;

// Word-ish boundaries keep digit runs inside hex ids and decimals from matching.
const CARD_NUMBER = /(?<!\w|\d[.,])\d(?:[ -]?\d){12,18}(?!\w|[.,]\d)/g;

const TEXT_SECRET =
  /\b(bearer|basic)(\s+)([\w.~+/-]+=*)|\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#@:]*:[^\s/?#@]+@|(^|[?&]|;\s*)([^=&#;\s?]+)=([^&#;\s]*)/gi;

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

// Fields that are ours or structural; scrubbing them could only corrupt the event.
const SKIPPED_FIELDS = new Set([
  'event_id',
  'timestamp',
  'received',
  'start_timestamp',
  'level',
  'type',
  'platform',
  'sdk',
  'modules',
  'debug_meta',
]);

export function scrubEvent(event: NormalizedEvent): NormalizedEvent {
  let out: NormalizedEvent | undefined;
  for (const key of Object.keys(event)) {
    if (SKIPPED_FIELDS.has(key)) continue;
    const value = event[key];
    const scrubbed = SENSITIVE_KEY.test(key) ? filterValue(value) : scrubValue(preScrub(key, value), 1);
    if (scrubbed !== value) {
      out ??= { ...event };
      setOwn(out, key, scrubbed);
    }
  }
  return out ?? event;
}

/** Shapes the generic walk cannot see: sentry-cli's whole process env and query strings as pairs. */
function preScrub(field: string, value: unknown): unknown {
  if (!isObject(value)) return value;
  if (field === 'extra' && value.environ !== undefined) return { ...value, environ: FILTERED };
  if (field === 'request' && Array.isArray(value.query_string)) {
    const pairs = value.query_string.map((pair) =>
      Array.isArray(pair) && typeof pair[0] === 'string' && SENSITIVE_KEY.test(pair[0])
        ? [pair[0], filterValue(pair[1])]
        : pair,
    );
    return { ...value, query_string: pairs };
  }
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true });
  else target[key] = value;
}

function filterValue(value: unknown): unknown {
  if (value === null || value === undefined || value === '' || typeof value === 'boolean') return value;
  return FILTERED;
}

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > MAX_DEPTH) return NESTED;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const scrubbed = scrubValue(value[i], depth + 1);
      if (scrubbed !== value[i]) {
        out ??= value.slice();
        out[i] = scrubbed;
      }
    }
    return out ?? value;
  }
  const record = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const childKey of Object.keys(record)) {
    const child = record[childKey];
    const scrubbed = SENSITIVE_KEY.test(childKey) ? filterValue(child) : scrubValue(child, depth + 1);
    if (scrubbed !== child) {
      out ??= { ...record };
      setOwn(out, childKey, scrubbed);
    }
  }
  return out ?? value;
}

function scrubString(text: string): string {
  let out = text.length > MAX_STRING_CHARS ? text.slice(0, MAX_STRING_CHARS) : text;
  if (hasDigits(out, MIN_CARD_DIGITS)) out = out.replace(CARD_NUMBER, filterCardNumber);
  if (out.includes('PRIVATE KEY-----')) out = out.replace(PEM_PRIVATE_KEY, FILTERED);
  // The combined regex is the costliest part of scrubbing (bench:ingest profile); most strings
  // cannot match it, which these cheap checks tell first.
  return mayHoldTextSecret(out) ? out.replace(TEXT_SECRET, filterTextSecret) : out;
}

const AUTH_SCHEME = /bearer|basic/i;

function mayHoldTextSecret(text: string): boolean {
  return text.includes('=') || (text.includes('@') && text.includes('://')) || AUTH_SCHEME.test(text);
}

function hasDigits(text: string, count: number): boolean {
  let seen = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57 && ++seen >= count) return true;
  }
  return false;
}

function filterCardNumber(match: string): string {
  const digits = match.replace(/[ -]/g, '');
  return digits.length >= MIN_CARD_DIGITS && passesLuhn(digits) ? FILTERED : match;
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

function filterTextSecret(match: string, ...groups: (string | undefined)[]): string {
  const [scheme, space, credential, urlScheme, separator, name] = groups;
  if (scheme !== undefined) return looksLikeCredential(credential!) ? `${scheme}${space}${FILTERED}` : match;
  if (urlScheme !== undefined) return `${urlScheme}${FILTERED}@`;
  return SENSITIVE_KEY.test(name!) ? `${separator}${name}=${FILTERED}` : match;
}

/** Tells "Bearer eyJhbGciOi…" from prose such as "Basic usage" or "bearer instruments". */
function looksLikeCredential(token: string): boolean {
  return token.length >= 6 && (/[\d+/=._~-]/.test(token) || /[A-Z]/.test(token.slice(1)));
}
