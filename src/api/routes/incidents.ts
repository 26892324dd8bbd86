import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import type { IncidentContext } from '../../incidents/access.ts';
import { acknowledgeIncident, setRole, updateIncident } from '../../incidents/change.ts';
import { declareIncident } from '../../incidents/declare.ts';
import { linkIssues, unlinkIssue } from '../../incidents/issue-links.ts';
import {
  getIncidentSettings,
  loadIncidentSettings,
  updateIncidentSettings,
} from '../../incidents/settings.ts';
import {
  addTimelineEntry,
  editTimelineEntry,
  getTimelineEntry,
  listTimeline,
} from '../../incidents/timeline.ts';
import { listIncidents, viewIncident } from '../../incidents/view.ts';
import type { Incident } from '../../store/types-incidents.ts';
import { principalOf } from '../authenticate.ts';
import { INCIDENT_PATH, incidentHandler } from '../incident-request.ts';
import { setPageLinks } from '../pagination.ts';
import { serializeIncident, serializeTimelineEntry } from '../serialize/incident.ts';

const BASE = INCIDENT_PATH;

/**
 * The incident's core resource: declare, list, read, change (fields, status, severity), roles,
 * linked issues, timeline, and the organisation's incident settings. incident:read to read,
 * incident:write to change; every change is on the timeline with its actor.
 */
export async function incidentRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  const withIncident = incidentHandler(ctx);
  const show = async (incident: Incident, loaded: IncidentContext) =>
    serializeIncident(await viewIncident(ctx, incident, loaded.settings));

  app.get('/api/0/organizations/:org/incidents/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const page = await listIncidents(ctx, principal, {
      ...(request.query as Record<string, string>),
      ...(request.params as { org: string }),
    });
    setPageLinks(request, reply, ctx.publicUrl(), page);
    return page.views.map(serializeIncident);
  });

  app.post('/api/0/organizations/:org/incidents/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const incident = await declareIncident(
      ctx,
      principal,
      (request.params as { org: string }).org,
      request.body,
    );
    reply.status(201);
    return serializeIncident(
      await viewIncident(ctx, incident, await loadIncidentSettings(ctx, incident.orgId)),
    );
  });

  app.get(`${BASE}/`, (request) =>
    withIncident(request, 'read', (_, loaded) => show(loaded.incident, loaded)),
  );

  app.put(`${BASE}/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      show(await updateIncident(ctx, principal, loaded, request.body), loaded),
    ),
  );

  app.post(`${BASE}/acknowledge/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      show(await acknowledgeIncident(ctx, principal, loaded), loaded),
    ),
  );

  app.put(`${BASE}/roles/:role/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      show(
        await setRole(ctx, principal, loaded, (request.params as { role: string }).role, request.body ?? {}),
        loaded,
      ),
    ),
  );

  app.delete(`${BASE}/roles/:role/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      show(await setRole(ctx, principal, loaded, (request.params as { role: string }).role, null), loaded),
    ),
  );

  app.post(`${BASE}/issues/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      show(await linkIssues(ctx, principal, loaded, request.body), loaded),
    ),
  );

  app.delete(`${BASE}/issues/:issue/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      show(await unlinkIssue(ctx, principal, loaded, (request.params as { issue: string }).issue), loaded),
    ),
  );

  app.get(`${BASE}/timeline/`, (request) =>
    withIncident(request, 'read', async (principal, loaded) =>
      (await listTimeline(ctx, principal, loaded)).map(serializeTimelineEntry),
    ),
  );

  app.post(`${BASE}/timeline/`, async (request, reply) => {
    const entry = await withIncident(request, 'write', (principal, loaded) =>
      addTimelineEntry(ctx, principal, loaded, request.body),
    );
    reply.status(201);
    return serializeTimelineEntry(entry);
  });

  app.get(`${BASE}/timeline/:entry/`, (request) =>
    withIncident(request, 'read', async (principal, loaded) =>
      serializeTimelineEntry(
        await getTimelineEntry(ctx, principal, loaded, (request.params as { entry: string }).entry),
      ),
    ),
  );

  app.put(`${BASE}/timeline/:entry/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      serializeTimelineEntry(
        await editTimelineEntry(
          ctx,
          principal,
          loaded,
          (request.params as { entry: string }).entry,
          request.body,
        ),
      ),
    ),
  );

  app.get('/api/0/organizations/:org/incident-settings/', async (request) =>
    getIncidentSettings(ctx, await principalOf(ctx, request), (request.params as { org: string }).org),
  );

  app.put('/api/0/organizations/:org/incident-settings/', async (request) =>
    updateIncidentSettings(
      ctx,
      await principalOf(ctx, request),
      (request.params as { org: string }).org,
      request.body,
    ),
  );
}
