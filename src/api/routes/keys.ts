import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { createKey } from '../../keys/create-key.ts';
import { deleteKey } from '../../keys/delete-key.ts';
import { getKey, listKeys } from '../../keys/list-keys.ts';
import { rotateKey } from '../../keys/rotate-key.ts';
import { updateKey } from '../../keys/update-key.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { serializeKey } from '../serialize/key.ts';

type Query = Record<string, string | undefined>;
type ProjectParams = { org: string; project: string };
type KeyParams = ProjectParams & { keyId: string };

export async function keyRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const base = '/api/0/projects/:org/:project/keys';

  app.get(`${base}/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const { project, page } = await listKeys(ctx, principal, {
      ...query,
      ...(request.params as ProjectParams),
    });
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor: page.nextCursor });
    return page.items.map((key) => serializeKey(ctx.publicUrl(), project, key));
  });

  app.post(`${base}/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as ProjectParams;
    const { project, key } = await createKey(ctx, principal, { ...params, body: request.body });
    reply.status(201);
    return serializeKey(ctx.publicUrl(), project, key);
  });

  app.get(`${base}/:keyId/`, async (request) => {
    const principal = await principalOf(ctx, request);
    const { project, key } = await getKey(ctx, principal, request.params as KeyParams);
    return serializeKey(ctx.publicUrl(), project, key);
  });

  app.put(`${base}/:keyId/`, async (request) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as KeyParams;
    const { project, key } = await updateKey(ctx, principal, { ...params, body: request.body });
    return serializeKey(ctx.publicUrl(), project, key);
  });

  app.delete(`${base}/:keyId/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    await deleteKey(ctx, principal, request.params as KeyParams);
    reply.status(204);
  });

  app.post(`${base}/:keyId/rotate/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const { project, key } = await rotateKey(ctx, principal, request.params as KeyParams);
    reply.status(201);
    return serializeKey(ctx.publicUrl(), project, key);
  });
}
