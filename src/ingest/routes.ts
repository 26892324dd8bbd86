import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import { readBody } from './decompress.ts';
import { handleIngest } from './handle-ingest.ts';

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

/**
 * Ingest routes in their own encapsulated context: bodies arrive as raw streams (any content
 * type, chunked, compressed) and are read with our own size caps, never Fastify's parsers.
 */
export async function ingestRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  let inflightBytes = 0;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
  app.addHook('onSend', async (_request, reply) => {
    reply.headers(CORS_HEADERS);
  });
  app.addHook('onError', async (_request, reply, error) => {
    reply.headers(CORS_HEADERS);
    if (error instanceof Error) reply.header('X-Sentry-Error', error.message.slice(0, 200));
    // The rest of an oversized body was never read; the connection cannot be reused.
    if (error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE') reply.header('Connection', 'close');
  });

  const handler =
    (endpoint: 'envelope' | 'store') => async (request: FastifyRequest, reply: FastifyReply) => {
      const budget = ctx.config.maxInflightBytes - inflightBytes;
      if (budget <= 0) throw new AppError('UNAVAILABLE', 'server is busy; retry later', { retryAfter: 1 });
      const stream = (request.body as NodeJS.ReadableStream | undefined) ?? request.raw;
      const body =
        request.body === undefined
          ? Buffer.alloc(0)
          : await readBody(stream, header(request, 'content-encoding'), {
              maxRequestBytes: ctx.limits.maxRequestBytes,
              maxDecompressedBytes: Math.min(ctx.limits.maxEnvelopeBytes, budget),
            });
      inflightBytes += body.length;
      try {
        const { projectId } = request.params as { projectId: string };
        const result = await handleIngest(ctx, {
          endpoint,
          projectIdParam: projectId,
          headers: request.headers,
          query: new URLSearchParams(request.url.split('?')[1] ?? ''),
          body,
          clientIp: request.ip,
        });
        return reply.status(200).send(result.body);
      } finally {
        inflightBytes -= body.length;
      }
    };

  const preflight = async (_request: FastifyRequest, reply: FastifyReply) => reply.status(200).send();
  for (const endpoint of ['envelope', 'store'] as const) {
    app.post(`/api/:projectId/${endpoint}/`, handler(endpoint));
    app.options(`/api/:projectId/${endpoint}/`, preflight);
  }
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
