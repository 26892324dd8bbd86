import { AppError } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { PreparedEvent } from '../digest/prepare.ts';
import { isSessionItem, parseSessionItems } from '../releases/health-parse.ts';
import type { Project, ProjectKey } from '../store/types.ts';
import { authFromDsn, extractIngestAuth, type IngestAuth, isValidPublicKey, stripKeyFlags } from './auth.ts';
import { type Envelope, normalizeEventId, parseEnvelope } from './envelope.ts';
import { outcomeItemType } from './limits.ts';
import { isPrivate } from './private-bytes.ts';
import { keyRateLimitHeader } from './rate-limit.ts';
import { decodeStoreBody } from './store-body.ts';

export interface IngestRequest {
  endpoint: 'envelope' | 'store';
  projectIdParam: string;
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  clientIp: string;
}

export interface IngestResponse {
  body: { id?: string };
}

/** What is known from the request line and headers alone, before any body byte is read. */
export interface EarlyAuth {
  projectId: number;
  requestAuth: IngestAuth | null;
  found: { key: ProjectKey; project: Project } | null;
}

const DAY = 86_400_000;

/** Item types whose payload is an error/message event we group (reference §2.4). */
const EVENT_ITEM = 'event';

/**
 * Items the key's event limit drops with the envelope's events: an event's attachments go with
 * it (Relay), and `security` is in the categories the 429's X-Sentry-Rate-Limits names.
 */
const LIMITED_WITH_EVENTS = new Set(['attachment', 'security']);

/**
 * Authenticates from the query string and headers, so an unknown or disabled key is refused
 * before its body is read or decompressed. Only a tunnelled envelope (no request auth, the DSN
 * in the envelope header) needs its body first, and only on the envelope endpoint.
 */
export async function authenticateEarly(ctx: AppContext, req: IngestRequest): Promise<EarlyAuth> {
  const projectId = parseProjectId(req.projectIdParam);
  const requestAuth = extractIngestAuth({ headers: req.headers, query: req.query });
  if (!requestAuth && req.endpoint === 'store') {
    throw new AppError('UNAUTHORIZED', 'missing authorization information');
  }
  const found = requestAuth ? await authorize(ctx, requestAuth.publicKey, projectId) : null;
  return { projectId, requestAuth, found };
}

export async function handleIngest(ctx: AppContext, req: IngestRequest, body: Buffer, early: EarlyAuth) {
  if (body.length === 0) throw new AppError('VALIDATION', 'empty request body');
  const envelope = toEnvelope(ctx, req, body);
  const dsnAuth = req.endpoint === 'envelope' ? authFromDsn(envelope.headers.dsn) : null;
  if (early.requestAuth && dsnAuth && !sameKey(early.requestAuth, dsnAuth, early.projectId)) {
    throw new AppError('UNAUTHORIZED', 'envelope dsn does not match the request authentication');
  }
  if (!early.found && !dsnAuth) throw new AppError('UNAUTHORIZED', 'missing authorization information');
  // A tunnelled envelope's DSN names its project as well as its key: both must be the URL's.
  if (!early.requestAuth && dsnAuth && Number(dsnAuth.projectId) !== early.projectId) {
    throw new AppError('UNAUTHORIZED', 'envelope dsn names another project than the URL');
  }
  const { key, project } = early.found ?? (await authorize(ctx, dsnAuth!.publicKey, early.projectId));
  return ingestEnvelope(ctx, req, envelope, key, project);
}

function parseProjectId(param: string): number {
  if (!/^\d{1,15}$/.test(param)) throw new AppError('VALIDATION', 'invalid project id in path');
  return Number(param);
}

function sameKey(a: IngestAuth, b: { publicKey: string; projectId: string }, projectId: number): boolean {
  return stripKeyFlags(a.publicKey) === stripKeyFlags(b.publicKey) && Number(b.projectId) === projectId;
}

async function authorize(ctx: AppContext, publicKey: string, projectId: number) {
  // Relay refuses keys that are not 32 word characters; they never reach the database.
  if (!isValidPublicKey(publicKey)) throw new AppError('UNAUTHORIZED', 'invalid public key');
  const found = await ctx.keyCache.get(stripKeyFlags(publicKey), ctx.clock.now());
  if (!found) throw new AppError('FORBIDDEN', 'unknown public key');
  if (!found.key.isActive) throw new AppError('FORBIDDEN', 'project key is disabled');
  if (found.project.id !== projectId)
    throw new AppError('FORBIDDEN', 'public key does not belong to this project');
  return found;
}

/** The store endpoint takes a bare event (or an envelope when it says so); wrap it as one. */
function toEnvelope(ctx: AppContext, req: IngestRequest, body: Buffer): Envelope {
  const contentType = String(req.headers['content-type'] ?? '');
  if (req.endpoint === 'envelope' || contentType.startsWith('application/x-sentry-envelope')) {
    return parseEnvelope(body, ctx.limits);
  }
  if (body.length > ctx.limits.maxEventBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', 'event exceeds the size limit');
  const client = req.query.get('sentry_client') ?? headerValue(req.headers['user-agent']);
  const payload = decodeStoreBody(body, client ?? undefined, ctx.limits.maxEventBytes);
  return { headers: {}, items: [{ headers: { type: EVENT_ITEM }, payload }] };
}

async function ingestEnvelope(
  ctx: AppContext,
  req: IngestRequest,
  envelope: Envelope,
  key: ProjectKey,
  project: Project,
): Promise<IngestResponse> {
  const receivedAt = ctx.clock.now();
  const day = receivedAt - (receivedAt % DAY);
  const count = (itemType: string, outcome: string, n = 1) =>
    ctx.committer.countOutcome(
      { projectId: project.id, itemType: outcomeItemType(itemType), outcome, day },
      n,
    );
  const eventItems = envelope.items.filter((item) => item.headers.type === EVENT_ITEM);
  // The rate limit is decided from the item headers, before any event is parsed or prepared. It
  // limits events only: the envelope's other items are still taken, as Relay answers 429 "even if
  // some items of the envelope were accepted" (reference §1.4).
  const decision = eventItems.length > 0 ? ctx.rateLimiter.take(key, eventItems.length, receivedAt) : null;
  const limited = decision !== null && !decision.allowed;
  if (limited) count(EVENT_ITEM, 'rate_limited', eventItems.length);
  // Release health: sessions are aggregated (docs/alerting.md), never stored one by one. An item
  // with nothing usable in it is counted `invalid`, as Relay discards it.
  const sessions = parseSessionItems(envelope.items, project, receivedAt, ctx.limits.maxJsonDepth);
  const kept = sessions.updates.length + sessions.aggregates.length;
  const envelopeEventId = normalizeEventId(envelope.headers.event_id) ?? undefined;
  const sentAt = parseSentAt(envelope.headers.sent_at);
  const prepared: PreparedEvent[] = [];
  let transactions = 0;
  // The body's memory moves to the prepare worker when this request allocated it and it holds
  // one event: nothing reads an item's payload after this point (sessions were parsed above).
  const handOver = eventItems.length === 1 && isPrivate(eventItems[0].payload);
  for (const item of limited ? [] : eventItems) {
    const job = {
      payload: item.payload,
      project,
      receivedAt,
      envelopeEventId,
      sentAt,
      clientIp: req.clientIp,
      maxJsonDepth: ctx.limits.maxJsonDepth,
    };
    const outcome = await ctx.preparer.prepare(job, { handOver });
    // Transactions sent to /store/ carry type "transaction"; they are not errors to group.
    if (outcome.kind === 'transaction') transactions++;
    else prepared.push(outcome.event);
  }
  // Counted once no item refused the envelope: a request answered 400 took nothing.
  for (const item of envelope.items) {
    if (item.headers.type === EVENT_ITEM || isSessionItem(item)) continue;
    const limitedWithEvents = limited && LIMITED_WITH_EVENTS.has(item.headers.type);
    count(item.headers.type, limitedWithEvents ? 'rate_limited' : 'accepted');
  }
  for (const item of sessions.items) count(item.type, item.outcome);
  if (transactions > 0) count('transaction', 'accepted', transactions);
  await Promise.all([
    prepared.length > 0 ? ctx.committer.submit(prepared) : undefined,
    kept > 0 ? ctx.committer.submitSessions(sessions) : undefined,
  ]);
  if (limited) {
    throw new AppError('RATE_LIMITED', 'event rate limit of this key exceeded', {
      retryAfter: decision.retryAfter,
      headers: { 'X-Sentry-Rate-Limits': keyRateLimitHeader(decision.retryAfter) },
    });
  }
  const id = envelopeEventId ?? prepared[0]?.eventId;
  return { body: id ? { id } : {} };
}

function parseSentAt(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
