import { auditEntry } from '../audit/audit-entry.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { AlertRule } from '../store/types-alerts.ts';
import { parseInput } from '../validation.ts';
import { ALERT_WRITE, checkActions, loadAlertProject, type ProjectAccess } from './access.ts';
import { CreateRuleInput, checkedConditions, toActions, toFilters } from './schemas.ts';

/** POST /projects/{org}/{project}/alert-rules/ (alerts:write or project:write). */
export async function createRule(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; project: string },
  body: unknown,
): Promise<ProjectAccess & { rule: AlertRule }> {
  const access = await loadAlertProject(ctx, principal, params, ALERT_WRITE);
  const input = parseInput(CreateRuleInput, body, 'alert rule');
  const conditions = checkedConditions(input.detector, input.conditions);
  const actions = toActions(input.actions);
  await checkActions(ctx, access.org, actions);
  const now = ctx.clock.now();
  const rule = await ctx.store.alertRules.create(
    {
      orgId: access.org.id,
      projectId: access.project.id,
      name: input.name,
      detector: input.detector,
      enabled: input.enabled,
      conditions,
      filters: toFilters(input.filters),
      actions,
      cooldownMinutes: input.cooldownMinutes,
      isDefault: false,
      createdBy: principal.actor,
      createdAt: now,
    },
    auditEntry(
      { orgId: access.org.id, actor: principal.actor, now },
      'rule.add',
      { type: 'alert_rule' },
      {
        name: input.name,
        detector: input.detector,
        project: access.project.slug,
      },
    ),
  );
  return { ...access, rule };
}
