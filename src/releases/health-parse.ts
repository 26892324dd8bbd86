import { withStorableEscapes } from '../digest/json-escapes.ts';
import type { EnvelopeItem } from '../ingest/envelope.ts';
import { parseJsonObject } from '../ingest/envelope.ts';
import type { SessionAggregate, SessionOutcome, SessionUpdate } from '../store/types-alerts.ts';
import { cleanEnvironmentName, cleanReleaseName } from './names.ts';

const HOUR = 3_600_000;
/** Relay drops sessions started more than 5 days ago (max_session_secs_in_past). */
const MAX_AGE_MS = 5 * 24 * HOUR;
/** …and takes a start more than a minute ahead of the clock as "now" (max_secs_in_future). */
const MAX_FUTURE_MS = 60_000;
const MAX_AGGREGATES = 100;

export interface SessionBatch {
  orgId: number;
  updates: SessionUpdate[];
  aggregates: SessionAggregate[];
}

/**
 * `invalid` when nothing in the item was usable (no release, no sid, a bad start, too old, no
 * readable bucket), as Relay discards it; `accepted` when it added to release health.
 */
export type SessionItemOutcome = 'accepted' | 'invalid';

export interface ParsedSessions extends SessionBatch {
  /** One per `session`/`sessions` item, in envelope order. */
  items: { type: 'session' | 'sessions'; outcome: SessionItemOutcome }[];
}

export const isSessionItem = (item: EnvelopeItem) =>
  item.headers.type === 'session' || item.headers.type === 'sessions';

/**
 * Reads `session` and `sessions` items (reference/sentry-protocol.md §2.4) into what release
 * health counts. Unusable ones are dropped and reported per item, never an error for the
 * envelope: Relay drops them too, and an SDK must not retry an envelope over its sessions.
 */
export function parseSessionItems(
  items: EnvelopeItem[],
  project: { id: number; orgId: number },
  receivedAt: number,
  maxJsonDepth: number,
): ParsedSessions {
  const projectId = project.id;
  const parsed: ParsedSessions = { orgId: project.orgId, updates: [], aggregates: [], items: [] };
  for (const item of items.filter(isSessionItem)) {
    const type = item.headers.type === 'session' ? 'session' : 'sessions';
    let body: Record<string, unknown> | null = null;
    try {
      // As events: `\u0000` and lone surrogates become U+FFFD, so release and environment names
      // are storable (PostgreSQL refuses U+0000) and read back as events name them.
      body = parseJsonObject(withStorableEscapes(item.payload), maxJsonDepth);
    } catch {
      // Unreadable JSON is as unusable as a session without a release.
    }
    let usable = false;
    if (body && type === 'session') {
      const update = sessionUpdate(body, projectId, receivedAt);
      if (update) parsed.updates.push(update);
      usable = update !== null;
    } else if (body) {
      usable = addAggregates(parsed, body, projectId, receivedAt);
    }
    parsed.items.push({ type, outcome: usable ? 'accepted' : 'invalid' });
  }
  return parsed;
}

function sessionUpdate(
  body: Record<string, unknown>,
  projectId: number,
  receivedAt: number,
): SessionUpdate | null {
  const attrs = attrsOf(body.attrs);
  const started = startOf(body.started, receivedAt);
  const sid = text(body.sid, 100);
  if (!attrs || started === null || !sid) return null;
  const errors = typeof body.errors === 'number' && body.errors > 0;
  return {
    projectId,
    ...attrs,
    hour: started - (started % HOUR),
    sid,
    did: text(body.did, 200),
    init: body.init === true,
    outcome: outcomeOf(body.status, errors),
    seenAt: receivedAt,
  };
}

/** A status update decides the outcome: crashed, abnormal, unhandled, errored; ok/exited with errors is errored. */
function outcomeOf(status: unknown, errors: boolean): SessionOutcome | null {
  if (status === 'crashed' || status === 'abnormal' || status === 'unhandled' || status === 'errored')
    return status;
  return errors ? 'errored' : null;
}

/**
 * Adds the item's readable buckets (the first MAX_AGGREGATES); true when at least one had a
 * usable start. A bucket of zeros is usable, it only adds nothing.
 */
function addAggregates(
  parsed: ParsedSessions,
  body: Record<string, unknown>,
  projectId: number,
  receivedAt: number,
): boolean {
  const attrs = attrsOf(body.attrs);
  const buckets = Array.isArray(body.aggregates) ? body.aggregates : [];
  if (!attrs) return false;
  let usable = false;
  for (const bucket of buckets.slice(0, MAX_AGGREGATES)) {
    const b = (bucket ?? {}) as Record<string, unknown>;
    const started = startOf(b.started, receivedAt);
    if (started === null) continue;
    usable = true;
    const aggregate: SessionAggregate = {
      projectId,
      ...attrs,
      hour: started - (started % HOUR),
      did: text(b.did, 200),
      // Sentry's `exited` counts sessions that ended without an error.
      healthy: count(b.exited),
      errored: count(b.errored),
      abnormal: count(b.abnormal),
      unhandled: count(b.unhandled),
      crashed: count(b.crashed),
      seenAt: receivedAt,
    };
    const total =
      aggregate.healthy + aggregate.errored + aggregate.abnormal + aggregate.unhandled + aggregate.crashed;
    if (total > 0) parsed.aggregates.push(aggregate);
  }
  return usable;
}

function attrsOf(value: unknown): { release: string; environment: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const attrs = value as Record<string, unknown>;
  const release = cleanReleaseName(attrs.release);
  if (!release) return null;
  return { release, environment: cleanEnvironmentName(attrs.environment) };
}

/** RFC 3339 or unix seconds; null when unusable or too old, the receive time when ahead of it. */
function startOf(value: unknown, receivedAt: number): number | null {
  const ms =
    typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms) || ms < receivedAt - MAX_AGE_MS) return null;
  return ms > receivedAt + MAX_FUTURE_MS ? receivedAt : Math.floor(ms);
}

function text(value: unknown, max: number): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' || trimmed.length > max ? null : trimmed;
}

const count = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0
    ? Math.min(Math.floor(value), 1_000_000_000)
    : 0;
