import { z } from 'zod';
import { notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { nextOffsetCursor, parseOffsetCursor, previousOffsetCursor } from '../offset-cursor.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Project } from '../store/types.ts';
import type { AlertFiring, AlertRule } from '../store/types-alerts.ts';
import { parseInput } from '../validation.ts';
import { ALERT_READ, loadRule } from './access.ts';

const FiringQuery = z.object({
  per_page: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(64).optional(),
  /** Org history only: a project slug or id. */
  project: z.string().max(100).optional(),
});

export interface FiringPage {
  firings: AlertFiring[];
  /** Rules and projects the firings name (a deleted rule is missing). */
  rules: Map<number, AlertRule>;
  projects: Map<number, Project>;
  previousCursor: string | null;
  nextCursor: string | null;
}

/** GET /projects/{org}/{project}/alert-rules/{id}/firings/: the rule's firings, newest first. */
export async function listRuleFirings(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; project: string; rule: string },
  query: unknown,
): Promise<FiringPage> {
  const { org, project, rule } = await loadRule(ctx, principal, params, ALERT_READ);
  return page(ctx, org.id, parseInput(FiringQuery, query, 'query'), { ruleId: rule.id }, [project]);
}

/** GET /organizations/{org}/alert-firings/: the organisation's alert history, newest first. */
export async function listOrgFirings(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  query: unknown,
): Promise<FiringPage> {
  requireScope(principal, ...ALERT_READ);
  const org = await resolveOrg(ctx, principal, orgSlug);
  const q = parseInput(FiringQuery, query, 'query');
  const projects = await ctx.store.projects.listByOrg(org.id);
  let projectId: number | undefined;
  if (q.project !== undefined) {
    const found = projects.find((p) => p.slug === q.project || String(p.id) === q.project);
    if (!found) throw notFound('project');
    projectId = found.id;
  }
  return page(ctx, org.id, q, { projectId }, projects);
}

async function page(
  ctx: AppContext,
  orgId: number,
  q: z.infer<typeof FiringQuery>,
  filter: { ruleId?: number; projectId?: number },
  projects: Project[],
): Promise<FiringPage> {
  const offset = parseOffsetCursor(q.cursor);
  const found = await ctx.store.alertFirings.list({ orgId, ...filter, limit: q.per_page + 1, offset });
  const firings = found.slice(0, q.per_page);
  const rules = new Map<number, AlertRule>();
  for (const id of new Set(firings.map((f) => f.ruleId))) {
    const rule = await ctx.store.alertRules.get(id);
    if (rule) rules.set(id, rule);
  }
  return {
    firings,
    rules,
    projects: new Map(projects.map((p) => [p.id, p])),
    previousCursor: previousOffsetCursor(offset, q.per_page),
    nextCursor: nextOffsetCursor(offset, q.per_page, found.length),
  };
}
