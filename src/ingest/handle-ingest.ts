import { AppError } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { PreparedEvent } from '../digest/prepare.ts';
import type { Project, ProjectKey } from '../store/types.ts';
import { authFromDsn, extractIngestAuth, type IngestAuth, stripKeyFlags } from './auth.ts';
import { type Envelope, normalizeEventId, parseEnvelope } from './envelope.ts';
import { keyRateLimitHeader } from './rate-limit.ts';
import { decodeStoreBody } from './store-body.ts';

export interface IngestRequest {
  endpoint: 'envelope' | 'store';
  projectIdParam: string;
  headers: Record<string, string | string[] | undefined>;
  query: URLSearchParams;
  body: Buffer;
  clientIp: string;
}

export interface IngestResponse {
  body: { id?: string };
}

const DAY = 86_400_000;

/** Item types whose payload is an error/message event we group (reference §2.4). */
const EVENT_ITEM = 'event';

export async function handleIngest(ctx: AppContext, req: IngestRequest): Promise<IngestResponse> {
  if (req.body.length === 0) throw new AppError('VALIDATION', 'empty request body');
  const projectId = parseProjectId(req.projectIdParam);
  const requestAuth = extractIngestAuth({ headers: req.headers, query: req.query });
  // Check the key before parsing, so a bad key costs nothing; a tunnelled envelope carries it in its header.
  const early = requestAuth ? await authorize(ctx, requestAuth.publicKey, projectId) : null;
  const envelope = toEnvelope(ctx, req);
  const dsnAuth = req.endpoint === 'envelope' ? authFromDsn(envelope.headers.dsn) : null;
  if (requestAuth && dsnAuth && !sameKey(requestAuth, dsnAuth, projectId)) {
    throw new AppError('UNAUTHORIZED', 'envelope dsn does not match the request authentication');
  }
  if (!requestAuth && !dsnAuth) throw new AppError('UNAUTHORIZED', 'missing authorization information');
  const { key, project } = early ?? (await authorize(ctx, dsnAuth!.publicKey, projectId));
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
  const found = await ctx.keyCache.get(stripKeyFlags(publicKey), ctx.clock.now());
  if (!found) throw new AppError('FORBIDDEN', 'unknown public key');
  if (!found.key.isActive) throw new AppError('FORBIDDEN', 'project key is disabled');
  if (found.project.id !== projectId)
    throw new AppError('FORBIDDEN', 'public key does not belong to this project');
  return found;
}

/** The store endpoint takes a bare event (or an envelope when it says so); wrap it as one. */
function toEnvelope(ctx: AppContext, req: IngestRequest): Envelope {
  const contentType = String(req.headers['content-type'] ?? '');
  if (req.endpoint === 'envelope' || contentType.startsWith('application/x-sentry-envelope')) {
    return parseEnvelope(req.body, ctx.limits);
  }
  if (req.body.length > ctx.limits.maxEventBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', 'event exceeds the size limit');
  const client = req.query.get('sentry_client') ?? headerValue(req.headers['user-agent']);
  const payload = decodeStoreBody(req.body, client ?? undefined);
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
  const envelopeEventId = normalizeEventId(envelope.headers.event_id) ?? undefined;
  const sentAt = parseSentAt(envelope.headers.sent_at);
  const prepared: PreparedEvent[] = [];
  for (const item of envelope.items) {
    const type = item.headers.type;
    if (type !== EVENT_ITEM) {
      ctx.committer.countOutcome({ projectId: project.id, itemType: type, outcome: 'accepted', day }, 1);
      continue;
    }
    const outcome = await ctx.preparer.prepare({
      payload: item.payload,
      project,
      receivedAt,
      envelopeEventId,
      sentAt,
      clientIp: req.clientIp,
      maxJsonDepth: ctx.limits.maxJsonDepth,
    });
    // Transactions sent to /store/ carry type "transaction"; they are not errors to group.
    if (outcome.kind === 'transaction') {
      ctx.committer.countOutcome(
        { projectId: project.id, itemType: 'transaction', outcome: 'accepted', day },
        1,
      );
    } else {
      prepared.push(outcome.event);
    }
  }
  const id = envelopeEventId ?? prepared[0]?.eventId;
  if (prepared.length > 0) {
    const decision = ctx.rateLimiter.take(key, prepared.length, receivedAt);
    if (!decision.allowed) {
      ctx.committer.countOutcome(
        { projectId: project.id, itemType: EVENT_ITEM, outcome: 'rate_limited', day },
        prepared.length,
      );
      throw new AppError('RATE_LIMITED', 'event rate limit of this key exceeded', {
        retryAfter: decision.retryAfter,
        headers: { 'X-Sentry-Rate-Limits': keyRateLimitHeader(decision.retryAfter) },
      });
    }
    await ctx.committer.submit(prepared);
  }
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
