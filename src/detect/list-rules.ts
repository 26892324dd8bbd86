import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { AlertRule } from '../store/types-alerts.ts';
import { ALERT_READ, loadAlertProject, loadRule, type ProjectAccess } from './access.ts';
import { ensureDefaultRules } from './defaults.ts';

/**
 * GET /projects/{org}/{project}/alert-rules/: the project's rules, oldest first. A project that
 * never had its default rules gets them here too, so they show even before the detectors ran.
 */
export async function listRules(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; project: string },
): Promise<ProjectAccess & { rules: AlertRule[] }> {
  const access = await loadAlertProject(ctx, principal, params, ALERT_READ);
  await ensureDefaultRules(ctx, ctx.clock.now(), access.project.id);
  return { ...access, rules: await ctx.store.alertRules.listByProject(access.project.id) };
}

export function getRule(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; project: string; rule: string },
): Promise<ProjectAccess & { rule: AlertRule }> {
  return loadRule(ctx, principal, params, ALERT_READ);
}
