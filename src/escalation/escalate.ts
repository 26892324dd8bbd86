import type { AppContext } from '../context.ts';
import { loadIncidentSettings, severityOf } from '../incidents/settings.ts';
import { MINUTE_MS } from '../incidents/timestamps.ts';
import type { Incident } from '../store/types-incidents.ts';
import type { EscalationPolicy, EscalationState, EscalationStep } from '../store/types-notifications.ts';
import { deliveriesTo, incidentSummary, minutesText, targetNames } from './incident-notice.ts';

export type EscalationAction = 'notified' | 'escalated' | 'acknowledged' | 'exhausted';

/**
 * Moves an unresolved incident's escalation one step if one is due: notify level 1 of the
 * severity's policy when it starts; stop when the incident is acknowledged; notify the next level
 * when a level's acknowledgement deadline passes; record exhaustion after the last. Each step is
 * one conditional write (see EscalationStep) carrying its deliveries and timeline entry, and
 * dedupe keys name the (incident, level), so racing nodes apply it once. Returns what happened.
 */
export async function escalateIncident(
  ctx: AppContext,
  incident: Incident,
  policy: EscalationPolicy | null,
  state: EscalationState | null,
): Promise<EscalationAction | null> {
  const now = ctx.clock.now();
  const acknowledged = incident.acknowledgedAt !== null;
  const base = { incidentId: incident.id, orgId: incident.orgId, now };
  if (!state) {
    if (acknowledged || !policy || policy.levels.length === 0) return null;
    const step = await notifyLevel(ctx, incident, policy, 0, null);
    return (await ctx.store.escalations.step(step)) ? 'notified' : null;
  }
  if (state.status !== 'active') return null;
  const from = { level: state.level, status: state.status };
  if (acknowledged) {
    const applied = await ctx.store.escalations.step({
      ...base,
      from,
      to: { level: state.level, status: 'acknowledged', levelStartedAt: state.levelStartedAt },
      deliveries: [],
      entry: {
        kind: 'escalation',
        body: `Escalation stopped: acknowledged at level ${state.level + 1}`,
        data: { action: 'acknowledged', level: state.level + 1 },
        actor: 'system',
        occurredAt: incident.acknowledgedAt ?? now,
        dedupeKey: 'escalation:stopped',
      },
    });
    return applied ? 'acknowledged' : null;
  }
  if (!policy || policy.levels.length === 0) return null;
  const current = policy.levels[Math.min(state.level, policy.levels.length - 1)];
  if (now < state.levelStartedAt + current.ackMinutes * MINUTE_MS) return null;
  if (state.level + 1 < policy.levels.length) {
    const step = await notifyLevel(ctx, incident, policy, state.level + 1, {
      ...from,
      ackMinutes: current.ackMinutes,
    });
    return (await ctx.store.escalations.step(step)) ? 'escalated' : null;
  }
  const applied = await ctx.store.escalations.step({
    ...base,
    from,
    to: { level: state.level, status: 'exhausted', levelStartedAt: state.levelStartedAt },
    deliveries: [],
    entry: {
      kind: 'escalation',
      body: `Escalation exhausted: nobody acknowledged within ${minutesText(current.ackMinutes)} of level ${state.level + 1}, the last level`,
      data: { action: 'exhausted', level: state.level + 1 },
      actor: 'system',
      occurredAt: now,
      dedupeKey: 'escalation:exhausted',
    },
  });
  return applied ? 'exhausted' : null;
}

/** The step that notifies `level` (0-based): from nothing (the start) or from the level before. */
async function notifyLevel(
  ctx: AppContext,
  incident: Incident,
  policy: EscalationPolicy,
  level: number,
  previous: { level: number; status: EscalationState['status']; ackMinutes: number } | null,
): Promise<EscalationStep> {
  const now = ctx.clock.now();
  const { targetIds, ackMinutes } = policy.levels[level];
  const summary = await incidentSummary(ctx, incident);
  const severity = severityOf(await loadIncidentSettings(ctx, incident.orgId), incident.severity);
  const last = level + 1 === policy.levels.length;
  const names = await targetNames(ctx, incident.orgId, targetIds);
  const why = previous
    ? `Level ${previous.level + 1} did not acknowledge within ${minutesText(previous.ackMinutes)}. `
    : '';
  const next = last
    ? 'This is the last level.'
    : `Acknowledge within ${minutesText(ackMinutes)} or level ${level + 2} is notified.`;
  return {
    incidentId: incident.id,
    orgId: incident.orgId,
    from: previous ? { level: previous.level, status: previous.status } : null,
    to: { level, status: 'active', levelStartedAt: now },
    deliveries: deliveriesTo(
      targetIds,
      {
        kind: 'escalation',
        title: `${summary.ref} (${incident.severity}) needs acknowledgement: ${incident.title}`,
        text: `${why}Level ${level + 1} of ${policy.levels.length}${severity?.escalation ? ` (${severity.escalation})` : ''}; status ${incident.status}. ${next}`,
        url: summary.url,
        data: {
          incident: summary,
          escalation: {
            level: level + 1,
            levels: policy.levels.length,
            ackMinutes,
            deadline: new Date(now + ackMinutes * MINUTE_MS).toISOString(),
          },
        },
      },
      `escalation:${incident.id}:level:${level + 1}`,
    ),
    entry: {
      kind: 'escalation',
      body: previous
        ? `Escalated to level ${level + 1} (${names}): level ${previous.level + 1} did not acknowledge within ${minutesText(previous.ackMinutes)}`
        : `Escalation: notified level ${level + 1} (${names}); acknowledge within ${minutesText(ackMinutes)}`,
      data: {
        action: previous ? 'escalated' : 'notified',
        level: level + 1,
        targets: targetIds.map(String),
        ackMinutes,
      },
      actor: 'system',
      occurredAt: now,
      dedupeKey: `escalation:level:${level + 1}`,
    },
    now,
  };
}
