import { startTicker } from '../background/ticker.ts';
import type { AppContext } from '../context.ts';
import type { EscalationPolicy } from '../store/types-notifications.ts';
import { escalateIncident } from './escalate.ts';
import { remindIncident } from './remind.ts';

export interface EscalationTickResult {
  incidents: number;
  steps: number;
  reminders: number;
  failed: number;
}

/**
 * One pass over the unresolved incidents: each escalation that is due moves one step and each
 * overdue status update is reminded of once. Safe on many nodes at once: every step and reminder
 * is a conditional write with unique keys (escalateIncident, remindIncident).
 */
export async function tickEscalations(ctx: AppContext): Promise<EscalationTickResult> {
  const result: EscalationTickResult = { incidents: 0, steps: 0, reminders: 0, failed: 0 };
  const policies = new Map<string, EscalationPolicy | null>();
  for (const incident of await ctx.store.incidents.listUnresolved()) {
    result.incidents++;
    try {
      const key = `${incident.orgId}:${incident.severity}`;
      if (!policies.has(key)) {
        policies.set(key, await ctx.store.escalationPolicies.get(incident.orgId, incident.severity));
      }
      const policy = policies.get(key) ?? null;
      const state = await ctx.store.escalations.get(incident.id);
      if (await escalateIncident(ctx, incident, policy, state)) result.steps++;
      if (await remindIncident(ctx, incident, policy)) result.reminders++;
    } catch (error) {
      // One broken incident must not stop the others' escalations.
      result.failed++;
      ctx.logger.error({ err: error, incidentId: incident.id }, 'escalation tick failed');
    }
  }
  return result;
}

/** Runs tickEscalations every `escalationTickSeconds` (0: never); stop waits for a pass in progress. */
export function startEscalationTicker(ctx: AppContext): () => Promise<void> {
  return startTicker(ctx.logger, {
    seconds: ctx.config.escalationTickSeconds,
    failure: 'escalation tick failed',
    pass: () => tickEscalations(ctx),
  });
}
