import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getIssue } from '../../issues/get-issue.ts';
import { getLatestEvent } from '../../issues/get-latest-event.ts';
import { listProjectIssues } from '../../issues/list-issues.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { serializeEvent } from '../serialize/event.ts';
import { serializeIssue } from '../serialize/issue.ts';

export async function issueRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.get('/api/0/projects/:org/:project/issues/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as { org: string; project: string };
    const query = request.query as Record<string, string | undefined>;
    const result = await listProjectIssues(ctx, principal, { ...params, ...query });
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor: result.nextCursor });
    const base = { publicUrl: ctx.publicUrl(), org: result.org, project: result.project };
    return result.issues.map((issue) =>
      serializeIssue(base, issue, { period: result.statsPeriod, series: result.stats.get(issue.id) ?? [] }),
    );
  });

  app.get('/api/0/organizations/:org/issues/:issueId/', async (request) => {
    const principal = await principalOf(ctx, request);
    const { org, project, issue } = await getIssue(
      ctx,
      principal,
      request.params as { org: string; issueId: string },
    );
    return serializeIssue({ publicUrl: ctx.publicUrl(), org, project }, issue);
  });

  app.get('/api/0/organizations/:org/issues/:issueId/events/latest/', async (request) => {
    const principal = await principalOf(ctx, request);
    const found = await getLatestEvent(ctx, principal, request.params as { org: string; issueId: string });
    return serializeEvent(found.project, found.issue, found.event);
  });
}
