import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { pageIncident } from '../../escalation/page.ts';
import { draftStatusUpdate } from '../../incidents/draft-update.ts';
import { listMitigations, recordMitigation } from '../../incidents/mitigate.ts';
import {
  deleteMitigationHook,
  getMitigationHook,
  putMitigationHook,
} from '../../incidents/mitigation-hook.ts';
import { resolveIncident } from '../../incidents/resolve.ts';
import { listStatusUpdates, postStatusUpdate } from '../../incidents/status-update.ts';
import { getVerification, verifyIncident } from '../../incidents/verify.ts';
import { viewIncident } from '../../incidents/view.ts';
import { principalOf } from '../authenticate.ts';
import { INCIDENT_PATH, incidentHandler } from '../incident-request.ts';
import { serializeIncident, serializeTimelineEntry } from '../serialize/incident.ts';
import {
  serializeHookResult,
  serializeMitigation,
  serializeMitigationHook,
  serializeVerification,
} from '../serialize/incident-response.ts';

type ProjectParams = { org: string; project: string };
const BASE = INCIDENT_PATH;
const HOOK = '/api/0/projects/:org/:project/mitigation-hook/';

/**
 * Incident response: mitigations (and the projects' mitigation hooks they call), verification
 * against the pre-incident baseline, resolving, and status updates with drafts.
 */
export async function incidentResponseRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  const withIncident = incidentHandler(ctx);

  app.post(`${BASE}/mitigations/`, async (request, reply) => {
    const result = await withIncident(request, 'write', (principal, loaded) =>
      recordMitigation(ctx, principal, loaded, request.body),
    );
    reply.status(201);
    return { entry: serializeTimelineEntry(result.entry), hooks: result.hooks.map(serializeHookResult) };
  });

  app.get(`${BASE}/mitigations/`, (request) =>
    withIncident(request, 'read', async (principal, loaded) =>
      (await listMitigations(ctx, principal, loaded)).map(serializeMitigation),
    ),
  );

  app.post(`${BASE}/verify/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) => {
      const { verification, entry } = await verifyIncident(ctx, principal, loaded);
      return serializeVerification(verification, { entry });
    }),
  );

  app.get(`${BASE}/verification/`, (request) =>
    withIncident(request, 'read', async (_, loaded) => {
      const { verification, lastRecorded } = await getVerification(ctx, loaded);
      return serializeVerification(verification, { lastRecorded });
    }),
  );

  app.post(`${BASE}/resolve/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      serializeIncident(
        await viewIncident(ctx, await resolveIncident(ctx, principal, loaded, request.body), loaded.settings),
      ),
    ),
  );

  app.post(`${BASE}/updates/`, async (request, reply) => {
    const entry = await withIncident(request, 'write', (principal, loaded) =>
      postStatusUpdate(ctx, principal, loaded, request.body),
    );
    reply.status(201);
    return serializeTimelineEntry(entry);
  });

  app.post(`${BASE}/page/`, async (request, reply) => {
    const entry = await withIncident(request, 'write', (principal, loaded) =>
      pageIncident(ctx, principal, loaded, request.body),
    );
    reply.status(201);
    return serializeTimelineEntry(entry);
  });

  app.get(`${BASE}/updates/`, (request) =>
    withIncident(request, 'read', async (_, loaded) =>
      (await listStatusUpdates(ctx, loaded)).map(serializeTimelineEntry),
    ),
  );

  app.get(`${BASE}/updates/draft/`, (request) =>
    withIncident(request, 'read', (_, loaded) => draftStatusUpdate(ctx, loaded, request.query)),
  );

  app.get(HOOK, async (request) =>
    serializeMitigationHook(
      await getMitigationHook(ctx, await principalOf(ctx, request), request.params as ProjectParams),
    ),
  );

  app.put(HOOK, async (request) =>
    serializeMitigationHook(
      await putMitigationHook(
        ctx,
        await principalOf(ctx, request),
        request.params as ProjectParams,
        request.body,
      ),
    ),
  );

  app.delete(HOOK, async (request, reply) => {
    await deleteMitigationHook(ctx, await principalOf(ctx, request), request.params as ProjectParams);
    reply.status(204);
  });
}
