import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getIngestOutcomes } from '../../projects/get-outcomes.ts';
import { getProject } from '../../projects/get-project.ts';
import { updateProject } from '../../projects/update-project.ts';
import { principalOf } from '../authenticate.ts';
import { isoDate } from '../serialize/dates.ts';
import { serializeProjectDetail } from '../serialize/project.ts';

type ProjectParams = { org: string; project: string };

export async function projectRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.get('/api/0/projects/:org/:project/', async (request) => {
    const principal = await principalOf(ctx, request);
    const { org, view } = await getProject(ctx, principal, request.params as ProjectParams);
    return serializeProjectDetail(ctx.publicUrl(), org, view);
  });

  app.put('/api/0/projects/:org/:project/', async (request) => {
    const principal = await principalOf(ctx, request);
    const { org, view } = await updateProject(ctx, principal, {
      ...(request.params as ProjectParams),
      body: request.body,
    });
    return serializeProjectDetail(ctx.publicUrl(), org, view);
  });

  /** Firebreak's own: ingest outcomes per item type (what was processed, accepted only, invalid, limited). */
  app.get('/api/0/projects/:org/:project/outcomes/', async (request) => {
    const principal = await principalOf(ctx, request);
    const { days } = request.query as { days?: string };
    const { since, totals } = await getIngestOutcomes(ctx, principal, {
      ...(request.params as ProjectParams),
      days,
    });
    return { since: isoDate(since), outcomes: totals };
  });
}
