import type { Project } from '../../store/types.ts';
import type { AlertAction, AlertFiring, AlertRule } from '../../store/types-alerts.ts';
import { isoDate } from './dates.ts';

function serializeAction(action: AlertAction) {
  if (action.type !== 'notify') return action;
  return { type: 'notify', targets: action.targetIds === 'all' ? 'all' : action.targetIds.map(String) };
}

/** An alert rule as the API shows it (string ids, RFC 3339 dates, the detector's full conditions). */
export function serializeAlertRule(rule: AlertRule, project: Project) {
  return {
    id: String(rule.id),
    name: rule.name,
    detector: rule.detector,
    enabled: rule.enabled,
    conditions: rule.conditions,
    filters: rule.filters,
    actions: rule.actions.map(serializeAction),
    cooldownMinutes: rule.cooldownMinutes,
    isDefault: rule.isDefault,
    project: project.slug,
    createdBy: rule.createdBy,
    dateCreated: isoDate(rule.createdAt),
    dateModified: isoDate(rule.updatedAt),
  };
}

/** One entry of the alert history: what fired, the numbers, and what its actions did. */
export function serializeAlertFiring(
  firing: AlertFiring,
  rule: AlertRule | undefined,
  project: Project | undefined,
) {
  const { rule: ruleName, ...data } = firing.data as { rule?: string } & Record<string, unknown>;
  return {
    id: String(firing.id),
    rule: { id: String(firing.ruleId), name: rule?.name ?? ruleName ?? null, deleted: rule === undefined },
    project: project?.slug ?? null,
    detector: firing.detector,
    subject: firing.subject,
    issueId: firing.issueId === null ? null : String(firing.issueId),
    dateFired: isoDate(firing.firedAt),
    summary: firing.summary,
    data,
    status: firing.status,
    actions: firing.results,
    key: firing.key,
  };
}
