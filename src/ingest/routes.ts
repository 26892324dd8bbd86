import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import { readBody } from './decompress.ts';
import { authenticateEarly, handleIngest, type IngestRequest } from './handle-ingest.ts';
import { MemoryBudget } from './memory-budget.ts';

/** Relay's ingest CORS policy (relay-server/src/middlewares/cors.rs) plus Bugsink's extra headers. */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers':
    'x-sentry-auth, x-requested-with, x-forwarded-for, origin, referer, accept, content-type, authentication, ' +
    'authorization, content-encoding, transfer-encoding, sentry-trace, baggage',
  'Access-Control-Expose-Headers': 'x-sentry-error, x-sentry-rate-limits, retry-after',
  'Access-Control-Max-Age': '3600',
};

/** A Content-Type whose type/subtype Fastify can read (fastify/lib/content-type.js). */
const MEDIA_TYPE = /^\s*[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+\s*(?:;|$)/;

/**
 * Ingest routes in their own encapsulated context: bodies arrive as raw streams (any content
 * type, chunked, compressed) and are read with our own size caps, never Fastify's parsers.
 */
export async function ingestRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const memory = new MemoryBudget(ctx.config.maxInflightBytes);

  acceptRawBodies(app);
  app.addHook('onError', async (request, reply, error) => {
    reply.headers(CORS_HEADERS);
    reply.header('X-Sentry-Error', sentryErrorHeader(error));
    // Refused before its body was read (bad key, too large, busy): close rather than drain it.
    if (!request.raw.complete) reply.header('Connection', 'close');
  });

  const handler =
    (endpoint: 'envelope' | 'store') => async (request: FastifyRequest, reply: FastifyReply) => {
      const req: IngestRequest = {
        endpoint,
        projectIdParam: (request.params as { projectId: string }).projectId,
        headers: request.headers,
        query: new URLSearchParams(request.url.split('?')[1] ?? ''),
        clientIp: request.ip,
      };
      const early = await authenticateEarly(ctx, req);
      const lease = memory.lease();
      try {
        const stream = (request.body as NodeJS.ReadableStream | undefined) ?? request.raw;
        const body =
          request.body === undefined
            ? Buffer.alloc(0)
            : await readBody(stream, header(request, 'content-encoding'), {
                maxRequestBytes: ctx.limits.maxRequestBytes,
                maxDecompressedBytes:
                  endpoint === 'store' ? ctx.limits.maxEventBytes : ctx.limits.maxEnvelopeBytes,
                charge: lease.take,
              });
        const result = await handleIngest(ctx, req, body, early);
        return reply.status(200).send(result.body);
      } finally {
        lease.release();
      }
    };

  const preflight = async (_request: FastifyRequest, reply: FastifyReply) => reply.status(200).send();
  for (const endpoint of ['envelope', 'store'] as const) {
    app.post(`/api/:projectId/${endpoint}/`, handler(endpoint));
    app.options(`/api/:projectId/${endpoint}/`, preflight);
  }
}

/** Bodies reach the handler as the raw stream, whatever their type; every answer carries CORS. */
export function acceptRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  // Fastify answers 415 to a Content-Type without a readable type/subtype ("garbage", ";"),
  // even with a catch-all parser; Relay reads the body whatever the header says.
  app.addHook('onRequest', async (request) => {
    const contentType = request.headers['content-type'];
    if (contentType !== undefined && !MEDIA_TYPE.test(contentType))
      delete request.raw.headers['content-type'];
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(CORS_HEADERS);
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * X-Sentry-Error carries our own client-facing messages only: internal errors stay generic, and
 * control characters (which Node refuses in a header) are replaced.
 */
function sentryErrorHeader(error: unknown): string {
  if (!(error instanceof AppError) || error.code === 'INTERNAL') return 'internal error';
  return error.message.slice(0, 200).replace(/[^\x20-\x7e]/g, '?');
}
