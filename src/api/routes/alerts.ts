import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.ts';
import { createRule } from '../../detect/create-rule.ts';
import { type FiringPage, listOrgFirings, listRuleFirings } from '../../detect/list-firings.ts';
import { getRule, listRules } from '../../detect/list-rules.ts';
import { deleteRule, updateRule } from '../../detect/update-rule.ts';
import { principalOf } from '../authenticate.ts';
import { setPageLinks } from '../pagination.ts';
import { serializeAlertFiring, serializeAlertRule } from '../serialize/alert.ts';

type RuleParams = { org: string; project: string; rule: string };
const RULES = '/api/0/projects/:org/:project/alert-rules/';
const RULE = `${RULES}:rule/`;

/**
 * Alert rules per project and their firings (docs/alerting.md): alerts:read or project:read to
 * read, alerts:write or project:write to change; rule changes are in the organisation's audit log.
 */
export async function alertRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  const params = <T>(request: FastifyRequest) => request.params as T;
  const firings = (request: FastifyRequest, reply: FastifyReply, page: FiringPage) => {
    setPageLinks(request, reply, ctx.publicUrl(), page);
    return page.firings.map((f) =>
      serializeAlertFiring(f, page.rules.get(f.ruleId), page.projects.get(f.projectId)),
    );
  };

  app.get(RULES, async (request) => {
    const found = await listRules(ctx, await principalOf(ctx, request), params(request));
    return found.rules.map((rule) => serializeAlertRule(rule, found.project));
  });

  app.post(RULES, async (request, reply) => {
    const found = await createRule(ctx, await principalOf(ctx, request), params(request), request.body);
    return reply.status(201).send(serializeAlertRule(found.rule, found.project));
  });

  app.get(RULE, async (request) => {
    const found = await getRule(ctx, await principalOf(ctx, request), params<RuleParams>(request));
    return serializeAlertRule(found.rule, found.project);
  });

  app.put(RULE, async (request) => {
    const found = await updateRule(
      ctx,
      await principalOf(ctx, request),
      params<RuleParams>(request),
      request.body,
    );
    return serializeAlertRule(found.rule, found.project);
  });

  app.delete(RULE, async (request, reply) => {
    await deleteRule(ctx, await principalOf(ctx, request), params<RuleParams>(request));
    return reply.status(204).send();
  });

  app.get(`${RULE}firings/`, async (request, reply) => {
    const principal = await principalOf(ctx, request);
    return firings(
      request,
      reply,
      await listRuleFirings(ctx, principal, params<RuleParams>(request), request.query),
    );
  });

  app.get('/api/0/organizations/:org/alert-firings/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const { org } = params<{ org: string }>(request);
    return firings(request, reply, await listOrgFirings(ctx, principal, org, request.query));
  });
}
