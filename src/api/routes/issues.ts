import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { bulkDeleteIssues, deleteIssue } from '../../issues/delete-issues.ts';
import { getIssueDetail } from '../../issues/get-issue-detail.ts';
import { type IssueListResult, listOrgIssues, listProjectIssues } from '../../issues/list-issues.ts';
import { bulkUpdateIssues, updateIssue } from '../../issues/update-issues.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { serializeIssue, serializeIssueDetail, serializeStatusDetails } from '../serialize/issue.ts';
import { issueDetailRoutes } from './issue-details.ts';

type OrgParams = { org: string };
type ProjectParams = { org: string; project: string };
type IssueParams = { org: string; issueId: string };

export async function issueRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  const sendList = (request: FastifyRequest, reply: FastifyReply, result: IssueListResult) => {
    const cursor = (request.query as { cursor?: string | string[] }).cursor;
    setLinkHeader(request, reply, ctx.publicUrl(), {
      cursor: Array.isArray(cursor) ? cursor.at(-1) : cursor,
      nextCursor: result.nextCursor,
    });
    if (result.directHit) reply.header('X-Sentry-Direct-Hit', '1');
    return result.views.map((view) => serializeIssue({ publicUrl: ctx.publicUrl(), org: result.org }, view));
  };

  /** Sentry answers a bulk update with the changes applied, or 204 when no issue matched. */
  const sendBulk = (reply: FastifyReply, result: Awaited<ReturnType<typeof bulkUpdateIssues>>) => {
    if (!result) return reply.code(204).send();
    const { statusDetails, ...rest } = result;
    return {
      ...rest,
      ...(statusDetails !== undefined ? { statusDetails: serializeStatusDetails(statusDetails) } : {}),
    };
  };

  app.get('/api/0/projects/:org/:project/issues/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as ProjectParams;
    const result = await listProjectIssues(ctx, principal, { ...params, query: request.query });
    return sendList(request, reply, result);
  });

  app.get('/api/0/organizations/:org/issues/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const { org } = request.params as OrgParams;
    return sendList(request, reply, await listOrgIssues(ctx, principal, { org, query: request.query }));
  });

  app.put('/api/0/projects/:org/:project/issues/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as ProjectParams;
    return sendBulk(
      reply,
      await bulkUpdateIssues(ctx, principal, { ...params, query: request.query, body: request.body }),
    );
  });

  app.put('/api/0/organizations/:org/issues/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const { org } = request.params as OrgParams;
    return sendBulk(
      reply,
      await bulkUpdateIssues(ctx, principal, { org, query: request.query, body: request.body }),
    );
  });

  for (const path of ['/api/0/projects/:org/:project/issues/', '/api/0/organizations/:org/issues/']) {
    app.delete(path, async (request, reply) => {
      const principal = await principalOf(ctx, request);
      await bulkDeleteIssues(ctx, principal, { ...(request.params as ProjectParams), query: request.query });
      return reply.code(204).send();
    });
  }

  app.get('/api/0/organizations/:org/issues/:issueId/', async (request) => {
    const principal = await principalOf(ctx, request);
    const detail = await getIssueDetail(ctx, principal, request.params as IssueParams);
    return serializeIssueDetail({ publicUrl: ctx.publicUrl() }, detail);
  });

  app.put('/api/0/organizations/:org/issues/:issueId/', async (request) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as IssueParams;
    const { org, view } = await updateIssue(ctx, principal, { ...params, body: request.body });
    return serializeIssue({ publicUrl: ctx.publicUrl(), org }, view);
  });

  app.delete('/api/0/organizations/:org/issues/:issueId/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    await deleteIssue(ctx, principal, request.params as IssueParams);
    return reply.code(202).send();
  });

  await app.register(issueDetailRoutes, { ctx });
}
