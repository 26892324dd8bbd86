import type { EscalationPolicyView } from '../../escalation/policies.ts';
import { isoDate } from './dates.ts';

export function serializeEscalationPolicy(view: EscalationPolicyView) {
  return {
    severity: view.severity,
    configured: view.configured,
    escalation: view.escalation,
    responseMinutes: view.responseMinutes,
    defaultAckMinutes: view.defaultAckMinutes,
    levels: view.levels.map((level, i) => ({
      level: i + 1,
      targets: level.targetIds.map(String),
      ackMinutes: level.ackMinutes,
    })),
    reminderTargets: view.reminderTargetIds.map(String),
    updateTargets: view.updateTargetIds.map(String),
    dateUpdated: view.updatedAt === null ? null : isoDate(view.updatedAt),
  };
}
