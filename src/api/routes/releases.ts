import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { createDeploy } from '../../releases/create-deploy.ts';
import { createRelease } from '../../releases/create-release.ts';
import { deleteRelease } from '../../releases/delete-release.ts';
import { getEventCommitters } from '../../releases/get-committers.ts';
import { getRelease } from '../../releases/get-release.ts';
import { listDeploys } from '../../releases/list-deploys.ts';
import { listReleaseCommits } from '../../releases/list-release-commits.ts';
import { listReleases } from '../../releases/list-releases.ts';
import { listRepositories } from '../../releases/list-repositories.ts';
import { getPreviousWithCommits } from '../../releases/previous-with-commits.ts';
import { updateRelease } from '../../releases/update-release.ts';
import { principalOf } from '../authenticate.ts';
import { setPageLinks } from '../pagination.ts';
import { serializeCommit, serializeCommitters, serializeRepository } from '../serialize/commit.ts';
import { serializeDeploy } from '../serialize/deploy.ts';
import { serializeRelease } from '../serialize/release.ts';

type Params = { org: string; project?: string; version: string; eventId: string };

const ORG_RELEASES = '/api/0/organizations/:org/releases/';
const ORG_RELEASE = '/api/0/organizations/:org/releases/:version/';
const PROJECT_RELEASES = '/api/0/projects/:org/:project/releases/';
const PROJECT_RELEASE = '/api/0/projects/:org/:project/releases/:version/';

/**
 * Releases, commits, deploys and repositories (Sentry's shapes, reference §5.3). Versions arrive
 * percent-encoded (`app@1.0.0%2B42`); the router decodes path parameters.
 */
export async function releaseRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const params = (request: FastifyRequest) => request.params as Params;
  const link = (
    request: FastifyRequest,
    reply: FastifyReply,
    page: { previousCursor: string | null; nextCursor: string | null },
  ) => setPageLinks(request, reply, ctx.publicUrl(), page);

  const create = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await principalOf(ctx, request);
    const found = await createRelease(ctx, principal, { ...params(request), body: request.body });
    // 208 Already Reported: the version existed and no project was added (sentry-cli accepts both).
    return reply.status(found.created ? 201 : 208).send(serializeRelease(found.release, found.projects));
  };
  app.post(ORG_RELEASES, create);
  app.post(PROJECT_RELEASES, create);

  const list = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await principalOf(ctx, request);
    const { org, project } = params(request);
    const found = await listReleases(ctx, principal, { org, projectSlug: project, query: request.query });
    link(request, reply, found);
    return found.releases.map((release) => serializeRelease(release, found.projects));
  };
  app.get(ORG_RELEASES, list);
  app.get(PROJECT_RELEASES, list);

  const detail = async (request: FastifyRequest) => {
    const found = await getRelease(ctx, await principalOf(ctx, request), params(request));
    return serializeRelease(found.release, found.projects);
  };
  app.get(ORG_RELEASE, detail);
  app.get(PROJECT_RELEASE, detail);

  app.put(ORG_RELEASE, async (request) => {
    const principal = await principalOf(ctx, request);
    const found = await updateRelease(ctx, principal, { ...params(request), body: request.body });
    return serializeRelease(found.release, found.projects);
  });

  app.delete(ORG_RELEASE, async (request, reply) => {
    await deleteRelease(ctx, await principalOf(ctx, request), params(request));
    return reply.status(204).send();
  });

  const commits = async (request: FastifyRequest, reply: FastifyReply) => {
    const principal = await principalOf(ctx, request);
    const found = await listReleaseCommits(ctx, principal, { ...params(request), query: request.query });
    link(request, reply, found);
    return found.commits.map(serializeCommit);
  };
  app.get(`${ORG_RELEASE}commits/`, commits);
  app.get(`${PROJECT_RELEASE}commits/`, commits);

  /** Exactly `{}` when there is none: sentry-cli reads that as "start from scratch" (reference §5.3). */
  app.get(`${ORG_RELEASE}previous-with-commits/`, async (request) => {
    const found = await getPreviousWithCommits(ctx, await principalOf(ctx, request), params(request));
    return found.previous ? serializeRelease(found.previous, found.projects) : {};
  });

  app.post(`${ORG_RELEASE}deploys/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const deploy = await createDeploy(ctx, principal, { ...params(request), body: request.body });
    return reply.status(201).send(serializeDeploy(deploy));
  });

  app.get(`${ORG_RELEASE}deploys/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const found = await listDeploys(ctx, principal, { ...params(request), query: request.query });
    link(request, reply, found);
    return found.deploys.map(serializeDeploy);
  });

  app.get('/api/0/organizations/:org/repos/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const found = await listRepositories(ctx, principal, { ...params(request), query: request.query });
    link(request, reply, found);
    return found.repositories.map(serializeRepository);
  });

  app.get('/api/0/projects/:org/:project/events/:eventId/committers/', async (request) => {
    const { org, project, eventId } = params(request);
    const principal = await principalOf(ctx, request);
    const committers = await getEventCommitters(ctx, principal, { org, project: project!, eventId });
    return serializeCommitters(committers);
  });
}
