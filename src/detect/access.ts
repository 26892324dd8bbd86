import { invalid, notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import { loadIncidentSettings, severityOf } from '../incidents/settings.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { Org, Project } from '../store/types.ts';
import type { AlertAction, AlertRule } from '../store/types-alerts.ts';
import { clip } from '../validation.ts';

/** Sentry's alert scopes, or the project scopes that already cover a project's settings. */
export const ALERT_READ: Scope[] = [
  'alerts:read',
  'alerts:write',
  'project:read',
  'project:write',
  'project:admin',
];
export const ALERT_WRITE: Scope[] = ['alerts:write', 'project:write', 'project:admin'];

export interface ProjectAccess {
  org: Org;
  project: Project;
}

export async function loadAlertProject(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; project: string },
  scopes: Scope[],
): Promise<ProjectAccess> {
  requireScope(principal, ...scopes);
  return resolveProject(ctx, principal, params.org, params.project);
}

/** The rule named in a URL; one of another project (or organisation) is 404 like a missing one. */
export async function loadRule(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; project: string; rule: string },
  scopes: Scope[],
): Promise<ProjectAccess & { rule: AlertRule }> {
  const access = await loadAlertProject(ctx, principal, params, scopes);
  const rule = /^\d{1,15}$/.test(params.rule) ? await ctx.store.alertRules.get(Number(params.rule)) : null;
  if (!rule || rule.projectId !== access.project.id) throw notFound('alert rule');
  return { ...access, rule };
}

/** Actions must name the organisation's notification targets and one of its incident severities. */
export async function checkActions(ctx: AppContext, org: Org, actions: AlertAction[]): Promise<void> {
  const named = actions.flatMap((a) => (a.type === 'notify' && a.targetIds !== 'all' ? a.targetIds : []));
  if (named.length > 0) {
    const known = new Set((await ctx.store.notificationTargets.list(org.id)).map((t) => t.id));
    const unknown = named.find((id) => !known.has(id));
    if (unknown !== undefined) throw invalid(`unknown notification target ${unknown}`);
  }
  for (const action of actions) {
    if (action.type !== 'declare_incident' || action.severity === undefined) continue;
    const settings = await loadIncidentSettings(ctx, org.id);
    if (!severityOf(settings, action.severity)) {
      throw invalid(
        `unknown severity ${clip(action.severity)} (known: ${settings.severities.map((s) => s.name).join(', ')})`,
      );
    }
  }
}
