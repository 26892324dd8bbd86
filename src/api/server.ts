import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { AppError } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import { ingestRoutes } from '../ingest/routes.ts';
import { defaultMaxConnections } from './connection-limit.ts';
import { installErrorHandler } from './http-errors.ts';
import { acceptJsonBodies, refuseNulInUrl } from './json-bodies.ts';
import { alertRoutes } from './routes/alerts.ts';
import { auditRoutes } from './routes/audit.ts';
import { eventRoutes } from './routes/events.ts';
import { incidentInsightRoutes } from './routes/incident-insights.ts';
import { incidentResponseRoutes } from './routes/incident-response.ts';
import { incidentTriageRoutes } from './routes/incident-triage.ts';
import { incidentRoutes } from './routes/incidents.ts';
import { issueRoutes } from './routes/issues.ts';
import { keyRoutes } from './routes/keys.ts';
import { memberRoutes } from './routes/members.ts';
import { notificationRoutes } from './routes/notifications.ts';
import { organizationRoutes } from './routes/organizations.ts';
import { postmortemRoutes } from './routes/postmortems.ts';
import { projectRoutes } from './routes/projects.ts';
import { releaseRoutes } from './routes/releases.ts';
import { rootRoutes } from './routes/root.ts';
import { teamRoutes } from './routes/teams.ts';

/** Node's errors for what its HTTP parser or timers refused that get a status of their own. */
const CLIENT_ERRORS: Record<string, [status: number, detail: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'request headers too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request timed out'],
};

/** What Node's HTTP parser refused, as `{"detail": …}`; the connection closes after it. */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) return;
  const [status, detail] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'malformed HTTP request'];
  const body = JSON.stringify({ detail });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Fastify's settings for Firebreak's server (also what bench/lower-bound-server.ts measures). */
export function serverOptions(
  logger: AppContext['logger'],
  requestTimeoutSeconds = 60,
  trustedProxies: string[] = [],
) {
  return {
    requestTimeout: requestTimeoutSeconds * 1000,
    // Node arms its request timeout only from the options the server is created with (Fastify's
    // own setting alone never fired), and checks every 30 s unless told otherwise.
    http: {
      requestTimeout: requestTimeoutSeconds * 1000,
      connectionsCheckingInterval: Math.min(5000, requestTimeoutSeconds * 500),
    },
    // Malformed HTTP (bad framing, oversized headers) answers in the API's own error shape.
    clientErrorHandler: answerClientError,
    // A path whose percent-escapes do not decode (`%FF`, a bare `%`) is a 400 in the same shape.
    frameworkErrors: answerFrameworkError,
    // pino's Logger is a FastifyBaseLogger; the cast only drops pino-specific generics.
    loggerInstance: logger as FastifyBaseLogger,
    // Per-request access logs would cost more than an ingest request; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Release versions (≤ 250 characters, longer once percent-encoded) are path parameters; find-my-way's default is 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    bodyLimit: 20 * 1024 * 1024,
    // X-Forwarded-For is trusted only from the proxies FIREBREAK_TRUST_PROXY names; the client
    // IP feeds {{auto}}, and so the users counted.
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    // Answered by refuseWhileClosing instead, in the API's own error shape.
    return503OnClosing: false,
    forceCloseConnections: 'idle' as const,
  };
}

function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  reply.status(status).send({ detail: error.message });
}

/**
 * Once shutdown starts, a request arriving on a kept-alive connection is answered 503 like any
 * other error (`{"detail"}`, `Retry-After`, CORS and `X-Sentry-Error` on ingest) and its connection
 * closed, so the SDK retries against the next server instead of reading Fastify's own body.
 */
function refuseWhileClosing(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('Connection', 'close');
    throw new AppError('UNAVAILABLE', 'the server is shutting down; retry', { retryAfter: 1 });
  });
}

/** Builds the HTTP server: ingest (DSN auth) and the Web API (Bearer tokens) on one port. */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(ctx.logger, ctx.config.requestTimeoutSeconds, ctx.config.trustProxy));
  const maxConnections = ctx.config.maxConnections ?? defaultMaxConnections();
  if (maxConnections !== null) app.server.maxConnections = maxConnections;
  installErrorHandler(app);
  refuseWhileClosing(app);
  // Every Web API route; the ingest plugin replaces the parsers in its own context.
  acceptJsonBodies(app);
  await app.register(ingestRoutes, { ctx });
  await app.register(async (api) => {
    // Under ingest load, tag-value and bucket counts are written once a second
    // (docs/decisions/0009-deferred-counters.md); what the API answers includes every event
    // that was acknowledged before the request.
    api.addHook('onRequest', refuseNulInUrl);
    api.addHook('onRequest', async () => ctx.committer.writeDeferredCounters());
    await api.register(rootRoutes, { ctx });
    await api.register(organizationRoutes, { ctx });
    await api.register(teamRoutes, { ctx });
    await api.register(projectRoutes, { ctx });
    await api.register(keyRoutes, { ctx });
    await api.register(memberRoutes, { ctx });
    await api.register(issueRoutes, { ctx });
    await api.register(eventRoutes, { ctx });
    await api.register(releaseRoutes, { ctx });
    await api.register(auditRoutes, { ctx });
    await api.register(incidentRoutes, { ctx });
    await api.register(incidentTriageRoutes, { ctx });
    await api.register(incidentResponseRoutes, { ctx });
    await api.register(postmortemRoutes, { ctx });
    await api.register(incidentInsightRoutes, { ctx });
    await api.register(alertRoutes, { ctx });
    await api.register(notificationRoutes, { ctx });
  });
  return app;
}
