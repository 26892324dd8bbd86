import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { INCIDENT_READ, loadIncident } from '../../incidents/access.ts';
import { getIncidentTriage } from '../../incidents/triage.ts';
import { principalOf } from '../authenticate.ts';
import { serializeIncidentTriage } from '../serialize/incident-triage.ts';

/** The incident's triage report (`001_…` phases 1–2): rates, reach, blast radius, suspects. */
export async function incidentTriageRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.get('/api/0/organizations/:org/incidents/:ref/triage/', async (request) => {
    const principal = await principalOf(ctx, request);
    const loaded = await loadIncident(
      ctx,
      principal,
      request.params as { org: string; ref: string },
      INCIDENT_READ,
    );
    return serializeIncidentTriage(await getIncidentTriage(ctx, loaded));
  });
}
