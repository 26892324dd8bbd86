import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import {
  deleteEscalationPolicy,
  getEscalationPolicy,
  listEscalationPolicies,
  putEscalationPolicy,
} from '../../escalation/policies.ts';
import { getDelivery, listDeliveries, testTarget } from '../../notify/deliveries.ts';
import { createTarget, deleteTarget, listTargets, loadTarget, updateTarget } from '../../notify/targets.ts';
import { principalOf } from '../authenticate.ts';
import { setPageLinks } from '../pagination.ts';
import { serializeDelivery, serializeTarget } from '../serialize/notification.ts';
import { serializeEscalationPolicy } from '../serialize/notification-escalation.ts';

type OrgParams = { org: string };
type IdParams = { org: string; id: string };
type PolicyParams = { org: string; severity: string };
const ORG = '/api/0/organizations/:org';

/** Notification targets, the delivery log, test sends and escalation policies of an organisation. */
export async function notificationRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  app.get(`${ORG}/notification-targets/`, async (request) => {
    const { org } = request.params as OrgParams;
    return (await listTargets(ctx, await principalOf(ctx, request), org)).map(serializeTarget);
  });
  app.post(`${ORG}/notification-targets/`, async (request, reply) => {
    const { org } = request.params as OrgParams;
    const target = await createTarget(ctx, await principalOf(ctx, request), org, request.body);
    reply.status(201);
    return serializeTarget(target);
  });
  app.get(`${ORG}/notification-targets/:id/`, async (request) => {
    const { org, id } = request.params as IdParams;
    return serializeTarget(await loadTarget(ctx, await principalOf(ctx, request), org, id, false));
  });
  app.put(`${ORG}/notification-targets/:id/`, async (request) => {
    const { org, id } = request.params as IdParams;
    return serializeTarget(await updateTarget(ctx, await principalOf(ctx, request), org, id, request.body));
  });
  app.delete(`${ORG}/notification-targets/:id/`, async (request, reply) => {
    const { org, id } = request.params as IdParams;
    await deleteTarget(ctx, await principalOf(ctx, request), org, id);
    reply.status(204);
  });
  app.post(`${ORG}/notification-targets/:id/test/`, async (request, reply) => {
    const { org, id } = request.params as IdParams;
    const view = await testTarget(ctx, await principalOf(ctx, request), org, id);
    reply.status(201);
    return serializeDelivery(view);
  });

  app.get(`${ORG}/notification-deliveries/`, async (request, reply) => {
    const page = await listDeliveries(ctx, await principalOf(ctx, request), {
      ...(request.query as Record<string, string>),
      ...(request.params as OrgParams),
    });
    setPageLinks(request, reply, ctx.publicUrl(), page);
    return page.views.map(serializeDelivery);
  });
  app.get(`${ORG}/notification-deliveries/:id/`, async (request) => {
    const { org, id } = request.params as IdParams;
    return serializeDelivery(await getDelivery(ctx, await principalOf(ctx, request), org, id));
  });

  app.get(`${ORG}/escalation-policies/`, async (request) => {
    const { org } = request.params as OrgParams;
    return (await listEscalationPolicies(ctx, await principalOf(ctx, request), org)).map(
      serializeEscalationPolicy,
    );
  });
  app.get(`${ORG}/escalation-policies/:severity/`, async (request) => {
    const { org, severity } = request.params as PolicyParams;
    return serializeEscalationPolicy(
      await getEscalationPolicy(ctx, await principalOf(ctx, request), org, severity),
    );
  });
  app.put(`${ORG}/escalation-policies/:severity/`, async (request) => {
    const { org, severity } = request.params as PolicyParams;
    return serializeEscalationPolicy(
      await putEscalationPolicy(ctx, await principalOf(ctx, request), org, severity, request.body),
    );
  });
  app.delete(`${ORG}/escalation-policies/:severity/`, async (request, reply) => {
    const { org, severity } = request.params as PolicyParams;
    await deleteEscalationPolicy(ctx, await principalOf(ctx, request), org, severity);
    reply.status(204);
  });
}
