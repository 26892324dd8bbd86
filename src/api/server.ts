import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { AppContext } from '../context.ts';
import { ingestRoutes } from '../ingest/routes.ts';
import { acceptEmptyJsonBodies } from './empty-json.ts';
import { installErrorHandler } from './http-errors.ts';
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

/** Builds the HTTP server: ingest (DSN auth) and the Web API (Bearer tokens) on one port. */
export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast only drops pino-specific generics.
    loggerInstance: ctx.logger as FastifyBaseLogger,
    // Per-request access logs would cost more than an ingest request; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // Release versions (≤ 250 characters, longer once percent-encoded) are path parameters; find-my-way's default is 100.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000 },
    bodyLimit: 20 * 1024 * 1024,
    // Trust X-Forwarded-For only when configured behind a proxy; the client IP feeds {{auto}}.
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  installErrorHandler(app);
  // Every Web API route; the ingest plugin replaces the parsers in its own context.
  acceptEmptyJsonBodies(app);
  await app.register(ingestRoutes, { ctx });
  await app.register(rootRoutes, { ctx });
  await app.register(organizationRoutes, { ctx });
  await app.register(teamRoutes, { ctx });
  await app.register(projectRoutes, { ctx });
  await app.register(keyRoutes, { ctx });
  await app.register(memberRoutes, { ctx });
  await app.register(issueRoutes, { ctx });
  await app.register(eventRoutes, { ctx });
  await app.register(releaseRoutes, { ctx });
  await app.register(auditRoutes, { ctx });
  await app.register(incidentRoutes, { ctx });
  await app.register(incidentTriageRoutes, { ctx });
  await app.register(incidentResponseRoutes, { ctx });
  await app.register(postmortemRoutes, { ctx });
  await app.register(incidentInsightRoutes, { ctx });
  await app.register(alertRoutes, { ctx });
  await app.register(notificationRoutes, { ctx });
  return app;
}
