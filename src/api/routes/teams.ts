import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { createProject } from '../../projects/create-project.ts';
import { createTeam } from '../../teams/create-team.ts';
import { listTeams } from '../../teams/list-teams.ts';
import { listProjectTeams, listTeamProjects, setProjectTeam } from '../../teams/team-projects.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { serializeProject, serializeProjectDetail } from '../serialize/project.ts';
import { serializeTeam } from '../serialize/team.ts';

type Query = Record<string, string | undefined>;
type TeamParams = { org: string; team: string };
type ProjectTeamParams = { org: string; project: string; team: string };

export async function teamRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.get('/api/0/organizations/:org/teams/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const { page } = await listTeams(ctx, principal, { ...query, ...(request.params as { org: string }) });
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor: page.nextCursor });
    return page.items.map(serializeTeam);
  });

  app.post('/api/0/organizations/:org/teams/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const { view } = await createTeam(ctx, principal, {
      ...(request.params as { org: string }),
      body: request.body,
    });
    reply.status(201);
    return serializeTeam(view);
  });

  app.get('/api/0/teams/:org/:team/projects/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const { page } = await listTeamProjects(ctx, principal, { ...query, ...(request.params as TeamParams) });
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor: page.nextCursor });
    return page.items.map(serializeProject);
  });

  app.post('/api/0/teams/:org/:team/projects/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const { org, view } = await createProject(ctx, principal, {
      ...(request.params as TeamParams),
      body: request.body,
    });
    reply.status(201);
    return serializeProjectDetail(ctx.publicUrl(), org, view);
  });

  app.get('/api/0/projects/:org/:project/teams/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const params = request.params as { org: string; project: string };
    const { page } = await listProjectTeams(ctx, principal, { ...query, ...params });
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor: page.nextCursor });
    return page.items.map(serializeTeam);
  });

  app.post('/api/0/projects/:org/:project/teams/:team/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as ProjectTeamParams;
    const { org, view } = await setProjectTeam(ctx, principal, { ...params, linked: true });
    reply.status(201);
    return serializeProjectDetail(ctx.publicUrl(), org, view);
  });

  app.delete('/api/0/projects/:org/:project/teams/:team/', async (request) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as ProjectTeamParams;
    const { org, view } = await setProjectTeam(ctx, principal, { ...params, linked: false });
    return serializeProjectDetail(ctx.publicUrl(), org, view);
  });
}
