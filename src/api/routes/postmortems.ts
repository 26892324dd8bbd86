import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { viewIncident } from '../../incidents/view.ts';
import { deleteActionItem, updateActionItem } from '../../postmortems/action-item-change.ts';
import { listActionItems, listIncidentActionItems } from '../../postmortems/action-item-list.ts';
import {
  createActionItem,
  createIncidentActionItem,
  loadActionItem,
  viewActionItems,
} from '../../postmortems/action-items.ts';
import { renderChartSvg } from '../../postmortems/chart-svg.ts';
import { closeIncident } from '../../postmortems/close.ts';
import { generatePostmortem } from '../../postmortems/generate.ts';
import { postmortemMarkdown } from '../../postmortems/markdown.ts';
import { editNarrative } from '../../postmortems/narrative.ts';
import { loadPostmortemView, type PostmortemView, viewPostmortem } from '../../postmortems/view.ts';
import { parseInput } from '../../validation.ts';
import { principalOf } from '../authenticate.ts';
import { incidentHandler } from '../incident-request.ts';
import { setPageLinks } from '../pagination.ts';
import { serializeIncident } from '../serialize/incident.ts';
import { serializePostmortem } from '../serialize/postmortem.ts';
import { serializeActionItem } from '../serialize/postmortem-action-item.ts';

type Params = { org: string; ref: string };
type ItemParams = { org: string; id: string };
const BASE = '/api/0/organizations/:org/incidents/:ref';
const ITEMS = '/api/0/organizations/:org/action-items';

const ReadQuery = z.object({
  format: z.enum(['json', 'markdown']).default('json'),
  /** The chart in the Markdown: a data: URI image (the export stands alone), a link, or none. */
  chart: z.enum(['embed', 'link', 'none']).default('embed'),
  /** `markdown`: the JSON answer carries the Markdown too (the CLI prints it). */
  include: z.enum(['markdown']).optional(),
});

/**
 * Post-mortems (Markdown ADRs generated from the incident's data, narrative fields people edit,
 * an SVG error-rate chart), closing an incident, and action items across incidents.
 * incident:read to read, incident:write to change; another organisation's answers 404.
 */
export async function postmortemRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  const withIncident = incidentHandler(ctx);
  const chartUrl = (request: FastifyRequest) => {
    const { org, ref } = request.params as Params;
    return `${ctx.publicUrl()}/api/0/organizations/${encodeURIComponent(org)}/incidents/${encodeURIComponent(ref)}/postmortem/chart.svg`;
  };
  const answer = (request: FastifyRequest, reply: FastifyReply, view: PostmortemView) => {
    const query = parseInput(ReadQuery, request.query, 'query');
    const markdown = () => postmortemMarkdown(view, { chart: query.chart, chartUrl: chartUrl(request) });
    if (query.format === 'markdown') {
      reply.type('text/markdown; charset=utf-8');
      return markdown();
    }
    return {
      ...serializePostmortem(view, { chartUrl: chartUrl(request) }),
      ...(query.include === 'markdown' ? { markdown: markdown() } : {}),
    };
  };

  app.get(`${BASE}/postmortem/`, (request, reply) =>
    withIncident(request, 'read', async (_, loaded) =>
      answer(request, reply, await loadPostmortemView(ctx, loaded)),
    ),
  );

  app.get(`${BASE}/postmortem.md`, (request, reply) =>
    withIncident(request, 'read', async (_, loaded) => {
      reply.type('text/markdown; charset=utf-8');
      const query = parseInput(ReadQuery, request.query, 'query');
      return postmortemMarkdown(await loadPostmortemView(ctx, loaded), {
        chart: query.chart,
        chartUrl: chartUrl(request),
      });
    }),
  );

  app.get(`${BASE}/postmortem/chart.svg`, (request, reply) =>
    withIncident(request, 'read', async (_, loaded) => {
      const view = await loadPostmortemView(ctx, loaded);
      reply
        .type('image/svg+xml; charset=utf-8')
        .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      return renderChartSvg(
        view.facts.chart,
        `${view.adr}: error rate of ${view.facts.incident.ref}'s linked issues`,
      );
    }),
  );

  app.post(`${BASE}/postmortem/`, (request, reply) =>
    withIncident(request, 'write', async (principal, loaded) => {
      const { postmortem, created } = await generatePostmortem(ctx, principal, loaded);
      if (created) reply.status(201);
      return answer(request, reply, await viewPostmortem(ctx, loaded.incident, postmortem));
    }),
  );

  app.put(`${BASE}/postmortem/`, (request, reply) =>
    withIncident(request, 'write', async (principal, loaded) =>
      answer(
        request,
        reply,
        await viewPostmortem(ctx, loaded.incident, await editNarrative(ctx, principal, loaded, request.body)),
      ),
    ),
  );

  app.post(`${BASE}/close/`, (request) =>
    withIncident(request, 'write', async (principal, loaded) =>
      serializeIncident(
        await viewIncident(ctx, await closeIncident(ctx, principal, loaded), loaded.settings),
      ),
    ),
  );

  app.post(`${BASE}/action-items/`, async (request, reply) => {
    const view = await withIncident(request, 'write', (principal, loaded) =>
      createIncidentActionItem(ctx, principal, loaded, request.body),
    );
    reply.status(201);
    return serializeActionItem(view);
  });

  app.get(`${BASE}/action-items/`, (request, reply) =>
    withIncident(request, 'read', async (_, loaded) => {
      const page = await listIncidentActionItems(ctx, loaded, request.query as Record<string, unknown>);
      setPageLinks(request, reply, ctx.publicUrl(), page);
      return page.views.map(serializeActionItem);
    }),
  );

  app.get(`${ITEMS}/`, async (request, reply) => {
    const page = await listActionItems(ctx, await principalOf(ctx, request), {
      ...(request.query as Record<string, string>),
      ...(request.params as { org: string }),
    });
    setPageLinks(request, reply, ctx.publicUrl(), page);
    return page.views.map(serializeActionItem);
  });

  app.post(`${ITEMS}/`, async (request, reply) => {
    const view = await createActionItem(
      ctx,
      await principalOf(ctx, request),
      (request.params as { org: string }).org,
      request.body,
    );
    reply.status(201);
    return serializeActionItem(view);
  });

  app.get(`${ITEMS}/:id/`, async (request) => {
    const { item } = await loadActionItem(
      ctx,
      await principalOf(ctx, request),
      request.params as ItemParams,
      false,
    );
    return serializeActionItem((await viewActionItems(ctx, [item]))[0]);
  });

  app.put(`${ITEMS}/:id/`, async (request) =>
    serializeActionItem(
      await updateActionItem(
        ctx,
        await principalOf(ctx, request),
        request.params as ItemParams,
        request.body,
      ),
    ),
  );

  app.delete(`${ITEMS}/:id/`, async (request, reply) => {
    await deleteActionItem(ctx, await principalOf(ctx, request), request.params as ItemParams);
    reply.status(204);
  });
}
