import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getIncidentTriage } from '../../incidents/triage.ts';
import { INCIDENT_PATH, incidentHandler } from '../incident-request.ts';
import { serializeIncidentTriage } from '../serialize/incident-triage.ts';

/** The incident's triage report (`001_…` phases 1–2): rates, reach, blast radius, suspects. */
export async function incidentTriageRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  const withIncident = incidentHandler(ctx);
  app.get(`${INCIDENT_PATH}/triage/`, (request) =>
    withIncident(request, 'read', async (_, loaded) =>
      serializeIncidentTriage(await getIncidentTriage(ctx, loaded, { query: request.query })),
    ),
  );
}
