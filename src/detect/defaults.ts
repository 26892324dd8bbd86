import type { AppContext } from '../context.ts';
import type { Project } from '../store/types.ts';
import type { NewAlertRule } from '../store/types-alerts.ts';
import { checkedConditions } from './schemas.ts';

/**
 * Every project starts with these rules (docs/alerting.md): they notify every enabled target of
 * the organisation, so they do nothing until a target exists and need no setup once one does.
 * None declares an incident: that stays a decision someone makes for a project.
 */
export function defaultRules(project: Project, now: number): NewAlertRule[] {
  const base = {
    orgId: project.orgId,
    projectId: project.id,
    enabled: true,
    filters: {},
    actions: [{ type: 'notify' as const, targetIds: 'all' as const }],
    isDefault: true,
    createdBy: 'system',
    createdAt: now,
  };
  return [
    {
      ...base,
      name: 'New issue',
      detector: 'new_issue',
      conditions: {},
      filters: { levels: ['error', 'fatal'] },
      cooldownMinutes: 0,
    },
    { ...base, name: 'Regression', detector: 'regression', conditions: {}, cooldownMinutes: 30 },
    {
      ...base,
      name: 'Error spike',
      detector: 'spike',
      conditions: checkedConditions('spike', {}),
      cooldownMinutes: 30,
    },
    {
      ...base,
      name: 'Crash-free sessions worse than the previous release',
      detector: 'release_health',
      conditions: checkedConditions('release_health', {}),
      cooldownMinutes: 0,
    },
  ];
}

/** Creates the default rules of one project, or of every project still without them (once each). */
export async function ensureDefaultRules(ctx: AppContext, now: number, projectId?: number): Promise<void> {
  const pending =
    projectId === undefined
      ? await ctx.store.alertRules.projectsWithoutDefaults()
      : (await ctx.store.alertRules.projectsWithoutDefaults()).filter((id) => id === projectId);
  for (const id of pending) {
    const project = await ctx.store.projects.getById(id);
    if (project) await ctx.store.alertRules.createDefaults(id, defaultRules(project, now));
  }
}
