import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { projectDiagnostics } from '../../diagnostics/project-diagnostics.ts';
import { incidentMetrics } from '../../memory/metrics.ts';
import { findSimilarIncidents } from '../../memory/similar.ts';
import { createRunbook } from '../../runbooks/create.ts';
import { deleteRunbook } from '../../runbooks/delete.ts';
import { getRunbook, listRunbooks } from '../../runbooks/list.ts';
import { incidentRunbooks } from '../../runbooks/suggest.ts';
import { updateRunbook } from '../../runbooks/update.ts';
import { principalOf } from '../authenticate.ts';
import { INCIDENT_PATH, incidentHandler } from '../incident-request.ts';
import { setPageLinks } from '../pagination.ts';
import { serializeDiagnostics } from '../serialize/insights-diagnostics.ts';
import { serializeSimilar } from '../serialize/insights-memory.ts';
import { serializeIncidentMetrics } from '../serialize/insights-metrics.ts';
import { serializeRunbook, serializeRunbookSuggestion } from '../serialize/insights-runbooks.ts';

type Query = Record<string, string>;
const INCIDENT = INCIDENT_PATH;
const RUNBOOKS = '/api/0/organizations/:org/runbooks';

/**
 * After the incident: memory (similar past incidents), the organisation's incident metrics,
 * runbooks and the incidents they apply to, and a project's diagnostics report.
 */
export async function incidentInsightRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const withIncident = incidentHandler(ctx);

  app.get(`${INCIDENT}/similar/`, (request) =>
    withIncident(request, 'read', async (_, loaded) =>
      serializeSimilar(await findSimilarIncidents(ctx, loaded, request.query)),
    ),
  );

  app.get(`${INCIDENT}/runbooks/`, (request) =>
    withIncident(request, 'read', async (_, loaded) =>
      (await incidentRunbooks(ctx, loaded)).map(serializeRunbookSuggestion),
    ),
  );

  app.get('/api/0/organizations/:org/incident-metrics/', async (request) => {
    const principal = await principalOf(ctx, request);
    const metrics = await incidentMetrics(ctx, principal, {
      ...(request.query as Query),
      ...(request.params as { org: string }),
    });
    return serializeIncidentMetrics(metrics);
  });

  app.get(`${RUNBOOKS}/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const page = await listRunbooks(ctx, principal, {
      ...(request.query as Query),
      ...(request.params as { org: string }),
    });
    setPageLinks(request, reply, ctx.publicUrl(), page);
    return page.views.map(serializeRunbook);
  });

  app.post(`${RUNBOOKS}/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const view = await createRunbook(ctx, principal, (request.params as { org: string }).org, request.body);
    reply.status(201);
    return serializeRunbook(view);
  });

  app.get(`${RUNBOOKS}/:id/`, async (request) => {
    const principal = await principalOf(ctx, request);
    return serializeRunbook(await getRunbook(ctx, principal, request.params as { org: string; id: string }));
  });

  app.put(`${RUNBOOKS}/:id/`, async (request) => {
    const principal = await principalOf(ctx, request);
    return serializeRunbook(
      await updateRunbook(ctx, principal, request.params as { org: string; id: string }, request.body),
    );
  });

  app.delete(`${RUNBOOKS}/:id/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    await deleteRunbook(ctx, principal, request.params as { org: string; id: string });
    reply.status(204);
  });

  app.get('/api/0/projects/:org/:project/diagnostics/', async (request) => {
    const principal = await principalOf(ctx, request);
    const report = await projectDiagnostics(ctx, principal, {
      ...(request.query as Query),
      ...(request.params as { org: string; project: string }),
    });
    return serializeDiagnostics(report);
  });
}
