import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { AppContext } from '../context.ts';
import { ingestRoutes } from '../ingest/routes.ts';
import { installErrorHandler } from './http-errors.ts';
import { issueRoutes } from './routes/issues.ts';
import { rootRoutes } from './routes/root.ts';

/** Builds the HTTP server: ingest (DSN auth) and the Web API (Bearer tokens) on one port. */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast only drops pino-specific generics.
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // Per-request access logs would cost more than an ingest request; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    routerOptions: { ignoreTrailingSlash: true },
    bodyLimit: 20 * 1024 * 1024,
    // Trust X-Forwarded-For only when configured behind a proxy; the client IP feeds {{auto}}.
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  installErrorHandler(app);
  await app.register(ingestRoutes, { ctx });
  await app.register(rootRoutes, { ctx });
  await app.register(issueRoutes, { ctx });
  return app;
}
