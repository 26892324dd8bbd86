import { notFound } from '../app-error.ts';
import { auditEntry, changedFields } from '../audit/audit-entry.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { AlertRule, AlertRulePatch } from '../store/types-alerts.ts';
import { parseInput } from '../validation.ts';
import { ALERT_WRITE, checkActions, loadRule, type ProjectAccess } from './access.ts';
import { checkedConditions, toActions, toFilters, UpdateRuleInput } from './schemas.ts';

type RuleParams = { org: string; project: string; rule: string };

/**
 * PUT /projects/{org}/{project}/alert-rules/{id}/: changes the fields given. `conditions`
 * replaces the detector's thresholds (omitted ones take their defaults); the detector is fixed.
 */
export async function updateRule(
  ctx: AppContext,
  principal: Principal,
  params: RuleParams,
  body: unknown,
): Promise<ProjectAccess & { rule: AlertRule }> {
  const loaded = await loadRule(ctx, principal, params, ALERT_WRITE);
  const input = parseInput(UpdateRuleInput, body, 'alert rule');
  const patch: AlertRulePatch = {
    name: input.name,
    enabled: input.enabled,
    cooldownMinutes: input.cooldownMinutes,
    conditions: input.conditions && checkedConditions(loaded.rule.detector, input.conditions),
    filters: input.filters && toFilters(input.filters),
    actions: input.actions && toActions(input.actions),
  };
  if (patch.actions) await checkActions(ctx, loaded.org, patch.actions);
  const changed = changedFields(loaded.rule, patch);
  if (changed.length === 0) return loaded;
  const now = ctx.clock.now();
  const rule = await ctx.store.alertRules.update(
    loaded.rule.id,
    patch,
    now,
    auditEntry(
      { orgId: loaded.org.id, actor: principal.actor, now },
      'rule.edit',
      {
        type: 'alert_rule',
        id: loaded.rule.id,
      },
      { name: input.name ?? loaded.rule.name, changed },
    ),
  );
  if (!rule) throw notFound('alert rule');
  return { ...loaded, rule };
}

/** DELETE /projects/{org}/{project}/alert-rules/{id}/; its firings stay in the alert history. */
export async function deleteRule(ctx: AppContext, principal: Principal, params: RuleParams): Promise<void> {
  const loaded = await loadRule(ctx, principal, params, ALERT_WRITE);
  const now = ctx.clock.now();
  const deleted = await ctx.store.alertRules.delete(
    loaded.rule.id,
    auditEntry(
      { orgId: loaded.org.id, actor: principal.actor, now },
      'rule.remove',
      {
        type: 'alert_rule',
        id: loaded.rule.id,
      },
      { name: loaded.rule.name, detector: loaded.rule.detector },
    ),
  );
  if (!deleted) throw notFound('alert rule');
}
