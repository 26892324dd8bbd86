import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { getOrg } from '../../orgs/get-org.ts';
import { listOrgs } from '../../orgs/list-orgs.ts';
import { listProjects } from '../../projects/list-projects.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { serializeOrg, serializeOrgDetail } from '../serialize/org.ts';
import { serializeProject } from '../serialize/project.ts';

type Query = Record<string, string | undefined>;

export async function organizationRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.get('/api/0/organizations/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const page = await listOrgs(ctx, principal, query);
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor: page.nextCursor });
    return page.items.map((org) => serializeOrg(ctx.publicUrl(), org));
  });

  app.get('/api/0/organizations/:org/', async (request) => {
    const principal = await principalOf(ctx, request);
    const detail = await getOrg(ctx, principal, request.params as { org: string });
    return serializeOrgDetail(ctx.publicUrl(), detail);
  });

  app.get('/api/0/organizations/:org/projects/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const { page } = await listProjects(ctx, principal, { ...query, ...(request.params as { org: string }) });
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor: page.nextCursor });
    return page.items.map(serializeProject);
  });
}
