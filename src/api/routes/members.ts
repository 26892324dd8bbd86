import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { addMember, removeMember, updateMember } from '../../members/change-member.ts';
import { getMember, listMembers } from '../../members/list-members.ts';
import { setMemberTeam } from '../../members/member-teams.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { serializeMember } from '../serialize/member.ts';

type Query = Record<string, string | undefined>;
type MemberParams = { org: string; memberId: string };
type MemberTeamParams = MemberParams & { team: string };

export async function memberRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const base = '/api/0/organizations/:org/members';

  app.get(`${base}/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const { page } = await listMembers(ctx, principal, { ...query, ...(request.params as { org: string }) });
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor: page.nextCursor });
    return page.items.map(serializeMember);
  });

  app.post(`${base}/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const { view } = await addMember(ctx, principal, {
      ...(request.params as { org: string }),
      body: request.body,
    });
    reply.status(201);
    return serializeMember(view);
  });

  app.get(`${base}/:memberId/`, async (request) => {
    const principal = await principalOf(ctx, request);
    const { view } = await getMember(ctx, principal, request.params as MemberParams);
    return serializeMember(view);
  });

  app.put(`${base}/:memberId/`, async (request) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as MemberParams;
    const { view } = await updateMember(ctx, principal, { ...params, body: request.body });
    return serializeMember(view);
  });

  app.delete(`${base}/:memberId/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    await removeMember(ctx, principal, request.params as MemberParams);
    reply.status(204);
  });

  app.post(`${base}/:memberId/teams/:team/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as MemberTeamParams;
    const { view } = await setMemberTeam(ctx, principal, { ...params, joined: true });
    reply.status(201);
    return serializeMember(view);
  });

  app.delete(`${base}/:memberId/teams/:team/`, async (request) => {
    const principal = await principalOf(ctx, request);
    const params = request.params as MemberTeamParams;
    const { view } = await setMemberTeam(ctx, principal, { ...params, joined: false });
    return serializeMember(view);
  });
}
