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

// Substring match like relay's PASSWORD_KEY_REGEX; `auth(?!or)` spares "author" but not
// "authorization" (or "authorisation").
const SENSITIVE_KEY =
  /pass(?:w|phrase)|pwd|secret|token|api[-_]?key|authori[sz]ation|auth(?!or)|credential|session|cookie|csrf|xsrf|private[-_]?key|card[-_]?n(?:um|o)|credit[-_]?card|^cc[-_]?num|cvv|cvc/i;

// Keys repeat heavily within and across events, so the regex verdict is cached per key string.
// Keys are attacker-controlled: the cache is cleared when full rather than allowed to grow.
const KEY_CACHE_LIMIT = 4096;
const sensitiveKeyCache = new Map<string, boolean>();

export function isSensitiveKey(key: string): boolean {
  let sensitive = sensitiveKeyCache.get(key);
  if (sensitive === undefined) {
    sensitive = SENSITIVE_KEY.test(key);
    if (sensitiveKeyCache.size >= KEY_CACHE_LIMIT) sensitiveKeyCache.clear();
    sensitiveKeyCache.set(key, sensitive);
  }
  return sensitive;
}

// Word-ish boundaries keep digit runs inside hex ids and decimals from matching.
const CARD_NUMBER = /(?<!\w|\d[.,])\d(?:[ -]?\d){12,18}(?!\w|[.,]\d)/g;

// A `key=value` pair starts a string or follows a query string's or cookie's separator, a space,
// a comma or a parenthesis ("login failed for password=…"). Its value is quoted whole
// (`password="…"`, to its closing quote on the line), or it ends where a query string's or
// cookie's would, or at a quote, which a URL holds only escaped: the code around a URL in a
// source line is kept. An opening quote that is never closed does not end the value before it
// starts.
const TEXT_SECRET =
  /\b(bearer|basic)(\s+)([\w.~+/-]+=*)|\b([a-z][a-z0-9+.-]{0,31}:\/\/)[^\s/?#@:]*:[^\s/?#@]+@|(^|[?&\s,(]|;\s*)([^=&#;\s?,(]+)=("[^"\n]*"|'[^'\n]*'|`[^`\n]*`|["'`]?[^&#;\s'"`]*)/gi;

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
    const scrubbed = isSensitiveKey(key) ? filterValue(value) : scrubValue(preScrub(key, value), 1);
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
  if (field === 'extra' && value.environ !== undefined) {
    const { environ: _dropped, ...rest } = value;
    return rest;
  }
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
  return Array.isArray(value)
    ? scrubArray(value, depth)
    : scrubRecord(value as Record<string, unknown>, depth);
}

// Arrays and records walk apart, and a child string or primitive is handled in place rather than
// through scrubValue: heavy events are thousands of small values (bench/prepare-event.ts, ~8%).
function scrubArray(array: unknown[], depth: number): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    const scrubbed =
      typeof item === 'string'
        ? scrubString(item)
        : typeof item === 'object'
          ? scrubValue(item, depth + 1)
          : item;
    if (scrubbed !== item) {
      out ??= array.slice();
      out[i] = scrubbed;
    }
  }
  return out ?? array;
}

function scrubRecord(record: Record<string, unknown>, depth: number): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const key of Object.keys(record)) {
    const child = record[key];
    let scrubbed: unknown;
    if (isSensitiveKey(key)) scrubbed = filterValue(child);
    else if (typeof child === 'string') scrubbed = scrubString(child);
    else if (typeof child === 'object') scrubbed = scrubValue(child, depth + 1);
    else continue;
    if (scrubbed !== child) {
      out ??= { ...record };
      setOwn(out, key, scrubbed);
    }
  }
  return out ?? record;
}

// What scanHints found in a string: which of scrubString's replacements can apply to it.
const MANY_DIGITS = 1;
const DASH = 2;
const MAY_HOLD_TEXT_SECRET = 4;

/** One string scrubbed as an event's would be (also used for replies from outside: outgoing/reply-excerpt.ts). */
export function scrubString(text: string): string {
  const clipped = text.length > MAX_STRING_CHARS ? text.slice(0, MAX_STRING_CHARS) : text;
  const hints = scanHints(clipped);
  if (hints === 0) return clipped;
  let out = clipped;
  if (hints & MANY_DIGITS) out = out.replace(CARD_NUMBER, filterCardNumber);
  if (hints & DASH && out.includes('PRIVATE KEY-----')) out = out.replace(PEM_PRIVATE_KEY, FILTERED);
  // The combined regex is the costliest part of scrubbing and most strings cannot match it. The
  // hints answer mayHoldTextSecret for the string as scanned; after a replacement, ask again.
  const mayHold = out === clipped ? hints & MAY_HOLD_TEXT_SECRET : mayHoldTextSecret(out);
  return mayHold ? out.replace(TEXT_SECRET, filterTextSecret) : out;
}

/**
 * One pass giving the card digit count, the PEM pre-check and exactly mayHoldTextSecret's answer.
 * Heavy events are mostly short strings, where several includes() scans and a regex per string
 * cost more than this loop (bench/prepare-event.ts: scrub share of the profile 25% to 17%).
 */
function scanHints(text: string): number {
  let digits = 0;
  let hints = 0;
  let hasAt = false;
  let hasSchemeSeparator = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      if (++digits === MIN_CARD_DIGITS) hints |= MANY_DIGITS;
    } else if (code === 45 /* - */) hints |= DASH;
    else if (code === 61 /* = */) hints |= MAY_HOLD_TEXT_SECRET;
    else if (code === 64 /* @ */) hasAt = true;
    else if (code === 58 /* : */) {
      hasSchemeSeparator ||= text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47;
    } else if ((code | 32) === 98 /* b or B */ && startsAuthScheme(text, i)) hints |= MAY_HOLD_TEXT_SECRET;
  }
  return hasAt && hasSchemeSeparator ? hints | MAY_HOLD_TEXT_SECRET : hints;
}

/**
 * Whether AUTH_SCHEME matches at `start`, which holds a b or B. Without the u flag, /i folds ASCII
 * letters only (ECMA-262 Canonicalize), as does comparing `code | 32` with a lowercase letter.
 */
function startsAuthScheme(text: string, start: number): boolean {
  const word = (text.charCodeAt(start + 1) | 32) === 101 /* e */ ? 'bearer' : 'basic';
  if (start + word.length > text.length) return false;
  for (let i = 1; i < word.length; i++) {
    if ((text.charCodeAt(start + i) | 32) !== word.charCodeAt(i)) return false;
  }
  return true;
}

const AUTH_SCHEME = /bearer|basic/i;

function mayHoldTextSecret(text: string): boolean {
  return text.includes('=') || (text.includes('@') && text.includes('://')) || AUTH_SCHEME.test(text);
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
