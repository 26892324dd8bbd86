import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { discoverEvents } from '../../events/discover.ts';
import { getIssueEvent, getOrgEvent, getProjectEvent } from '../../events/get-event.ts';
import { type EventPage, listIssueEvents, listProjectEvents } from '../../events/list-events.ts';
import { listTagKeys } from '../../events/tag-keys.ts';
import { getTrace, getTraceMeta } from '../../events/trace.ts';
import { validateDiscover } from '../../events/validate.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { serializeEvent, serializeEventSummary } from '../serialize/event.ts';

type Query = Record<string, unknown>;
interface OrgParams {
  org: string;
}
interface IssueParams extends OrgParams {
  issueId: string;
}
interface ProjectParams extends OrgParams {
  project: string;
}
interface TraceParams extends OrgParams {
  traceId: string;
}

function serializePage(page: EventPage) {
  if (!page.full) return page.events.map(serializeEventSummary);
  return page.events.flatMap((event) => {
    const issue = page.issues.get(event.issueId);
    return issue ? [serializeEvent(page.project, issue, event)] : [];
  });
}

/**
 * Events: issue and project event lists and details (an issue's `latest`, `oldest` and
 * `recommended` event included), Discover (`/organizations/{org}/events/`) and its validation,
 * org tag keys, and empty traces.
 */
export async function eventRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.get('/api/0/organizations/:org/issues/:issueId/events/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const page = await listIssueEvents(ctx, principal, { ...query, ...(request.params as IssueParams) });
    setLinkHeader(request, reply, ctx.publicUrl(), {
      cursor: query.cursor as string,
      nextCursor: page.nextCursor,
    });
    return serializePage(page);
  });

  app.get('/api/0/organizations/:org/issues/:issueId/events/:eventId/', async (request) => {
    const principal = await principalOf(ctx, request);
    const found = await getIssueEvent(ctx, principal, request.params as IssueParams & { eventId: string });
    return serializeEvent(found.project, found.issue, found.event);
  });

  app.get('/api/0/projects/:org/:project/events/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const page = await listProjectEvents(ctx, principal, { ...query, ...(request.params as ProjectParams) });
    setLinkHeader(request, reply, ctx.publicUrl(), {
      cursor: query.cursor as string,
      nextCursor: page.nextCursor,
    });
    return serializePage(page);
  });

  app.get('/api/0/projects/:org/:project/events/:eventId/', async (request) => {
    const principal = await principalOf(ctx, request);
    const found = await getProjectEvent(
      ctx,
      principal,
      request.params as ProjectParams & { eventId: string },
    );
    return serializeEvent(found.project, found.issue, found.event);
  });

  app.get('/api/0/organizations/:org/events/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const result = await discoverEvents(ctx, principal, { ...query, ...(request.params as OrgParams) });
    setLinkHeader(request, reply, ctx.publicUrl(), {
      cursor: query.cursor as string,
      nextCursor: result.nextCursor,
    });
    return { data: result.data, meta: result.meta };
  });

  // Sentry answers an invalid request 400 with the same body; the MCP server reads both.
  app.get('/api/0/organizations/:org/events/validate/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const input = { ...(request.query as Query), ...(request.params as OrgParams) };
    const result = await validateDiscover(ctx, principal, input);
    return reply.status(result.valid ? 200 : 400).send(result);
  });

  app.get('/api/0/organizations/:org/events/:projectEvent/', async (request) => {
    const principal = await principalOf(ctx, request);
    const found = await getOrgEvent(ctx, principal, request.params as OrgParams & { projectEvent: string });
    return serializeEvent(found.project, found.issue, found.event);
  });

  app.get('/api/0/organizations/:org/tags/', async (request) => {
    const principal = await principalOf(ctx, request);
    return listTagKeys(ctx, principal, { ...(request.query as Query), ...(request.params as OrgParams) });
  });

  app.get('/api/0/organizations/:org/trace-meta/:traceId/', async (request) => {
    const principal = await principalOf(ctx, request);
    return getTraceMeta(ctx, principal, request.params as TraceParams);
  });

  app.get('/api/0/organizations/:org/trace/:traceId/', async (request) => {
    const principal = await principalOf(ctx, request);
    return getTrace(ctx, principal, request.params as TraceParams);
  });
}
