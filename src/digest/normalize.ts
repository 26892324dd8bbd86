import { randomUUID } from 'node:crypto';
import { cleanEnvironmentName, cleanReleaseName } from '../releases/names.ts';
import { textOf } from '../validation.ts';
import type { Breadcrumb, EventUser, NormalizedEvent, SingleException, Stacktrace } from './event.ts';
import { parsedJsonBody } from './request-body.ts';
import { userKeyOf } from './user-key.ts';

export interface NormalizeContext {
  /** Epoch milliseconds. */
  receivedAt: number;
  envelopeEventId?: string;
  /** Epoch milliseconds, from the envelope header `sent_at`. */
  sentAt?: number;
  clientIp?: string;
  /**
   * The project's maximum event age (retention), when shorter than Relay's 30 days: an event
   * dated before it is dated when received, as one older than 30 days is, rather than stored and
   * pruned by the next retention pass (its issue then had a count and no event).
   */
  maxAgeDays?: number;
}

type Obj = Record<string, unknown>;

// relay-event-normalization clock_drift.rs MINIMUM_CLOCK_DRIFT; relay-config `max_secs_in_future`.
const MIN_CLOCK_DRIFT_SECS = 55 * 60;
const MAX_SECS_IN_FUTURE = 60;
/**
 * Relay's default `max_secs_in_past`: an event dated earlier (a device clock reset to 1970, a
 * bogus `sent_at` "correcting" it by decades) is dated when it was received. Kept as sent, it
 * was acknowledged and then pruned by the next retention pass, leaving its issue with no event.
 */
const MAX_SECS_IN_PAST = 30 * 86_400;
const MAX_MESSAGE_CHARS = 8192;
// relay trimming.rs enforces 250 frames per stacktrace, dropping from the middle.
const MAX_FRAMES = 250;
/**
 * Frames kept over all of an event's stack traces, and exceptions kept in a chain. A 1 MiB event
 * of empty frames is ~340,000 of them: stored, it made a 94 MB answer for its latest event.
 * Twenty full stack traces is more than any SDK sends (@sentry/node: 5 linked errors of 50).
 */
const MAX_EVENT_FRAMES = 5_000;
const MAX_EXCEPTIONS = 50;
const MAX_BREADCRUMBS = 100;
const MAX_TAG_CHARS = 200;
const MAX_USER_FIELD_CHARS = 128;
/** Sentry keeps the 100 most recent flag evaluations an event carries. */
const MAX_FLAGS = 100;

// relay-event-schema Level::from_str and from_python_level (10, 20, … 50).
const LEVELS = ['debug', 'info', 'warning', 'error', 'fatal'] as const;
const LEVEL_ALIASES = new Map<string, NormalizedEvent['level']>([
  ['log', 'info'],
  ['warn', 'warning'],
  ['critical', 'fatal'],
]);

const HEX_ID = /^[0-9a-f]{32}$/i;
const DASHED_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = /^\s*\d+(?:\.\d+)?\s*$/;
const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})?$/;

export function normalizeEvent(raw: Obj, ctx: NormalizeContext): NormalizedEvent {
  const received = ctx.receivedAt / 1000;
  const drift = clockDriftSecs(received, ctx.sentAt);
  const frameBudget = { left: MAX_EVENT_FRAMES };
  const exception = normalizeExceptions(raw.exception, frameBudget);
  const event: NormalizedEvent = {
    ...raw,
    event_id:
      parseEventId(ctx.envelopeEventId) ?? parseEventId(raw.event_id) ?? randomUUID().replaceAll('-', ''),
    timestamp: eventTimestamp(raw.timestamp, received, drift, ctx.maxAgeDays),
    received,
    level: parseLevel(raw.level),
    platform: (typeof raw.platform === 'string' && raw.platform.trim()) || 'other',
    // Relay: an old SDK's `environment` tag is the environment when the event names none.
    environment: cleanEnvironmentName(raw.environment ?? tagOf(raw.tags, 'environment')),
    type: exception ? 'error' : 'default',
    tags: {},
  };
  setField(event, 'exception', exception);
  setField(event, 'release', cleanReleaseName(raw.release));
  for (const key of ['dist', 'logger', 'transaction', 'server_name', 'checksum'] as const) {
    setField(event, key, lenientString(raw[key]));
  }
  setField(event, 'fingerprint', Array.isArray(raw.fingerprint) ? stringList(raw.fingerprint) : undefined);

  const logentry = normalizeLogentry(raw.logentry);
  if (logentry) event.logentry = logentry;
  else {
    setField(event, 'logentry', normalizeLogentry(raw.message));
    if (event.logentry) delete event.message;
  }

  setField(event, 'stacktrace', normalizeStacktrace(raw.stacktrace, frameBudget));
  setField(event, 'threads', normalizeThreads(raw.threads, frameBudget));
  setField(event, 'breadcrumbs', normalizeBreadcrumbs(raw.breadcrumbs, drift));
  setField(event, 'user', normalizeUser(raw.user, ctx.clientIp));
  setField(event, 'request', normalizeRequest(raw.request));
  setField(event, 'contexts', isObject(raw.contexts) ? objectEntriesOnly(raw.contexts) : undefined);
  for (const key of ['extra', 'sdk', 'modules'] as const)
    setField(event, key, isObject(raw[key]) ? raw[key] : undefined);
  event.tags = buildTags(event, raw.tags);
  return event;
}

function setField<K extends keyof NormalizedEvent>(event: NormalizedEvent, key: K, value: unknown): void {
  if (value === undefined) delete event[key as string];
  else event[key] = value as NormalizedEvent[K];
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function lenientString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

function stringList(values: unknown[]): string[] | undefined {
  const out: string[] = [];
  for (const value of values) {
    const text = lenientString(value);
    if (text !== undefined) out.push(text);
  }
  return out.length > 0 ? out : undefined;
}

function parseEventId(value: unknown): string | undefined {
  if (typeof value !== 'string' || !(HEX_ID.test(value) || DASHED_ID.test(value))) return undefined;
  return value.replaceAll('-', '').toLowerCase();
}

function parseLevel(value: unknown): NormalizedEvent['level'] {
  const text = textOf(value).trim().toLowerCase();
  if (/^[1-5]0$/.test(text)) return LEVELS[Number(text) / 10 - 1];
  return LEVEL_ALIASES.get(text) ?? LEVELS.find((level) => level === text) ?? 'error';
}

/** Unix seconds from a number, numeric string or RFC 3339 string (no zone means UTC). */
function parseTimestamp(value: unknown): number | undefined {
  let seconds: number | undefined;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string') {
    if (NUMERIC.test(value)) seconds = Number(value);
    else {
      const match = RFC3339.exec(value.trim());
      if (!match) return undefined;
      const [, date, time, fraction, zone = 'Z'] = match;
      const offset = zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.toUpperCase();
      seconds = Date.parse(`${date}T${time}${offset}`) / 1000 + (fraction ? Number(`0${fraction}`) : 0);
    }
  }
  return seconds !== undefined && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

function clockDriftSecs(received: number, sentAtMs: number | undefined): number {
  if (sentAtMs === undefined || !Number.isFinite(sentAtMs)) return 0;
  const drift = received - sentAtMs / 1000;
  return Math.abs(drift) >= MIN_CLOCK_DRIFT_SECS ? drift : 0;
}

function eventTimestamp(value: unknown, received: number, drift: number, maxAgeDays?: number): number {
  const parsed = parseTimestamp(value);
  if (parsed === undefined) return received;
  const corrected = parsed + drift;
  const maxPast = Math.min(MAX_SECS_IN_PAST, (maxAgeDays ?? Number.POSITIVE_INFINITY) * 86_400);
  const plausible = corrected >= received - maxPast && corrected <= received + MAX_SECS_IN_FUTURE;
  return plausible ? corrected : received;
}

/** Accepts a logentry object, a legacy `message` string, or a `message` object shaped like a logentry. */
function normalizeLogentry(value: unknown): NormalizedEvent['logentry'] {
  if (typeof value === 'string') {
    const text = truncate(value, MAX_MESSAGE_CHARS);
    return text ? { formatted: text, message: text } : undefined;
  }
  if (!isObject(value)) return undefined;
  const template = typeof value.message === 'string' ? truncate(value.message, MAX_MESSAGE_CHARS) : undefined;
  const params = Array.isArray(value.params) ? value.params : undefined;
  let formatted = typeof value.formatted === 'string' ? value.formatted : undefined;
  if (!formatted && template) formatted = params ? formatParams(template, params) : template;
  if (!formatted && !template) return undefined;
  const logentry: NonNullable<NormalizedEvent['logentry']> = { ...value };
  setOptional(logentry, 'formatted', formatted && truncate(formatted, MAX_MESSAGE_CHARS));
  setOptional(logentry, 'message', template);
  setOptional(logentry, 'params', params);
  return logentry;
}

function setOptional<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

function formatParams(template: string, params: unknown[]): string {
  let next = 0;
  return template.replace(/%s/g, (token) => (next < params.length ? textOf(params[next++]) : token));
}

function listOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  return isObject(value) && Array.isArray(value.values) ? value.values : undefined;
}

/**
 * The last MAX_EXCEPTIONS of a chain (the last one is the exception raised); stack traces take
 * from the event's frame budget newest exception first, so the one raised keeps its frames.
 */
function normalizeExceptions(value: unknown, budget: FrameBudget): { values: SingleException[] } | undefined {
  const values: SingleException[] = [];
  const items = (listOf(value) ?? []).filter(isObject).slice(-MAX_EXCEPTIONS);
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    const exception: SingleException = { ...item };
    setOptional(exception, 'stacktrace', normalizeStacktrace(item.stacktrace, budget));
    setOptional(exception, 'mechanism', isObject(item.mechanism) ? item.mechanism : undefined);
    setOptional(exception, 'type', lenientString(item.type));
    const value = isObject(item.value) ? JSON.stringify(item.value) : lenientString(item.value);
    setOptional(exception, 'value', value);
    setOptional(exception, 'module', lenientString(item.module));
    values.push(exception);
  }
  return values.length > 0 ? { values: values.reverse() } : undefined;
}

/** Frames the event may still keep (MAX_EVENT_FRAMES at first). */
interface FrameBudget {
  left: number;
}

/** Frames past the stack's share of the budget are dropped from the middle, as Relay does. */
function normalizeStacktrace(value: unknown, budget: FrameBudget): Stacktrace | undefined {
  if (!isObject(value) || !Array.isArray(value.frames)) return undefined;
  let frames = value.frames.every(isObject) ? value.frames : value.frames.filter(isObject);
  const limit = Math.min(MAX_FRAMES, budget.left);
  if (frames.length === 0 || limit === 0) return undefined;
  if (frames.length > limit) {
    frames = [...frames.slice(0, Math.floor(limit / 2)), ...frames.slice(-Math.ceil(limit / 2))];
  }
  budget.left -= frames.length;
  return { ...value, frames };
}

function normalizeThreads(value: unknown, budget: FrameBudget): NormalizedEvent['threads'] {
  const list = listOf(value);
  if (!list) return undefined;
  const values = list.filter(isObject).map((thread) => {
    const copy = { ...thread };
    setOptional(copy, 'stacktrace', normalizeStacktrace(thread.stacktrace, budget));
    return copy;
  });
  return values.length > 0 ? { values } : undefined;
}

function normalizeBreadcrumbs(value: unknown, drift: number): NormalizedEvent['breadcrumbs'] {
  const list = listOf(value);
  if (!list) return undefined;
  const values: Breadcrumb[] = [];
  for (const crumb of list.length > MAX_BREADCRUMBS ? list.slice(-MAX_BREADCRUMBS) : list) {
    if (!isObject(crumb)) continue;
    if (typeof crumb.timestamp === 'number' && drift === 0) {
      values.push(crumb);
      continue;
    }
    const copy: Breadcrumb = { ...crumb };
    const timestamp = parseTimestamp(crumb.timestamp);
    setOptional(copy, 'timestamp', timestamp === undefined ? undefined : timestamp + drift);
    values.push(copy);
  }
  return { values };
}

function normalizeUser(value: unknown, clientIp: string | undefined): EventUser | undefined {
  if (!isObject(value)) return undefined;
  const user: EventUser = { ...value };
  // Trimmed and cut as Relay cuts a user's id and username (128 characters): the identities key
  // the user (its tag, users per issue, user_identities), and an index holds only so much.
  for (const key of ['id', 'username', 'email', 'ip_address'] as const) {
    const text = lenientString(value[key])?.trim();
    setOptional(user, key, text ? truncate(text, MAX_USER_FIELD_CHARS) : undefined);
  }
  if (user.ip_address === '{{auto}}') setOptional(user, 'ip_address', clientIp);
  return user;
}

function normalizeRequest(value: unknown): NormalizedEvent['request'] {
  if (!isObject(value)) return undefined;
  const request: NonNullable<NormalizedEvent['request']> = { ...value };
  setOptional(request, 'url', typeof value.url === 'string' ? value.url : undefined);
  setOptional(request, 'headers', normalizeHeaders(value.headers));
  const body = parsedJsonBody(value.data);
  if (body) {
    request.data = body.value;
    request.inferred_content_type = 'application/json';
  }
  return request;
}

function normalizeHeaders(value: unknown): Record<string, string> | undefined {
  const entries = Array.isArray(value) ? value : isObject(value) ? Object.entries(value) : undefined;
  if (!entries) return undefined;
  const headers: Record<string, string> = {};
  for (const entry of entries) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0] === '__proto__') continue;
    const text = Array.isArray(entry[1]) ? stringList(entry[1])?.join(', ') : lenientString(entry[1]);
    if (text === undefined) continue;
    headers[entry[0]] = Object.hasOwn(headers, entry[0]) ? `${headers[entry[0]]}, ${text}` : text;
  }
  return headers;
}

function objectEntriesOnly(value: Obj): Record<string, Obj> {
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, Obj] => isObject(entry[1])),
  );
}

function tagText(value: unknown): string | undefined {
  const text = lenientString(value)?.trim();
  return text ? truncate(text, MAX_TAG_CHARS) : undefined;
}

/**
 * Tags Sentry derives from the event, then the payload's own tags for keys the event does not
 * decide (Sentry's `set_tag` of level, logger, environment and transaction overwrites the
 * client's; Relay moves server_name), then the feature flags.
 */
function buildTags(event: NormalizedEvent, rawTags: unknown): Record<string, string> {
  const tags: Record<string, string> = {};
  const put = (key: string, value: unknown) => {
    const text = tagText(value);
    if (text !== undefined) tags[key] = text;
  };
  put('level', event.level);
  put('environment', event.environment);
  put('release', event.release);
  put('server_name', event.server_name);
  put('transaction', event.transaction);
  put('url', event.request?.url);
  put('user', userKeyOf(event.user));
  for (const name of ['browser', 'os', 'runtime']) {
    const context = event.contexts?.[name];
    const contextName = tagText(context?.name);
    if (!contextName) continue;
    const version = tagText(context?.version);
    put(name, version ? `${contextName} ${version}` : contextName);
    put(`${name}.name`, contextName);
  }
  put('sdk', event.sdk?.name);
  // Sentry sets these from the event (a client's own `dist` tag is dropped, below).
  if (event.release) put('dist', event.dist);
  put('logger', event.logger);
  const mechanism = event.exception?.values.at(-1)?.mechanism;
  put('mechanism', mechanism?.type);
  if (typeof mechanism?.handled === 'boolean') put('handled', mechanism.handled ? 'yes' : 'no');

  // The payload's own tags, where the event does not decide the value itself: a derived tag
  // (logger, transaction, url, …) wins, as Sentry sets them from the event over the client's.
  for (const pair of tagPairs(rawTags)) {
    if (!Array.isArray(pair)) continue;
    const key = lenientString(pair[0])?.trim();
    if (!key || key.length > MAX_TAG_CHARS || key === '__proto__' || DERIVED_ONLY_TAGS.has(key)) continue;
    if (!Object.hasOwn(tags, key)) put(key, pair[1]);
  }
  // Feature flags the SDK evaluated before the error (its featureFlagsIntegration and flag
  // providers send `contexts.flags.values: [{flag, result}]`, at most 100), as Sentry makes them
  // searchable: `flags[checkout_v2]:true`. Last, so that past the tags indexed per event
  // (prepare.ts) it is flags that go unindexed, never the SDK's own tags.
  const flags = (event.contexts?.flags as { values?: unknown } | undefined)?.values;
  if (Array.isArray(flags)) {
    for (const entry of flags.slice(-MAX_FLAGS)) {
      if (!isObject(entry) || typeof entry.flag !== 'string' || typeof entry.result !== 'boolean') continue;
      const name = entry.flag.trim();
      if (name && name.length <= MAX_TAG_CHARS - 7 && !name.includes(']'))
        put(`flags[${name}]`, String(entry.result));
    }
  }
  return tags;
}

/**
 * Tags only the event itself decides, as in Sentry: Relay drops `release`, `dist`, `user`,
 * `filename` and `function` tags and turns an `environment` tag into the environment, and Sentry
 * sets `level` from the event's level. A payload tag of these names would otherwise make search
 * find a release or environment that does not exist, or a user that is not the one counted.
 */
const DERIVED_ONLY_TAGS = new Set([
  'level',
  'environment',
  'release',
  'dist',
  'user',
  'filename',
  'function',
]);

function tagPairs(rawTags: unknown): unknown[] {
  return Array.isArray(rawTags) ? rawTags : isObject(rawTags) ? Object.entries(rawTags) : [];
}

function tagOf(rawTags: unknown, name: string): unknown {
  const pair = tagPairs(rawTags).find((p) => Array.isArray(p) && lenientString(p[0])?.trim() === name);
  return (pair as unknown[] | undefined)?.[1];
}
