import type { AppContext } from '../context.ts';
import { loadIncidentSettings, severityOf } from '../incidents/settings.ts';
import { MINUTE_MS } from '../incidents/timestamps.ts';
import type { Incident } from '../store/types-incidents.ts';
import type { EscalationPolicy, EscalationState, EscalationStep } from '../store/types-notifications.ts';
import { deliveriesTo, incidentSummary, minutesText, reachableTargets } from './incident-notice.ts';

export type EscalationAction = 'notified' | 'escalated' | 'acknowledged' | 'exhausted';

/**
 * Moves an unresolved incident's escalation one step if one is due: notify level 1 of the
 * severity's policy when it starts; stop when the incident is acknowledged; notify the next level
 * when a level's acknowledgement deadline passes; record exhaustion after the last. When an
 * unacknowledged incident's severity is raised, start again at level 1 of the new severity's policy
 * (a P3 made P1 pages whoever P1 pages first, as PagerDuty does on a raised urgency); a lowered
 * severity carries on where it was. Each step is one conditional write (see EscalationStep)
 * carrying its deliveries and timeline entry, and dedupe keys name the (incident, severity,
 * level), so racing nodes apply it once. Returns what happened.
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
  const from = { level: state.level, status: state.status, severity: state.severity };
  if (!acknowledged && policy && policy.levels.length > 0 && (await severityRaised(ctx, incident, state))) {
    const step = await notifyLevel(ctx, incident, policy, 0, { ...from, raisedFrom: state.severity });
    return (await ctx.store.escalations.step(step)) ? 'notified' : null;
  }
  if (state.status !== 'active') return null;
  if (acknowledged) {
    const applied = await ctx.store.escalations.step({
      ...base,
      from,
      to: { ...from, status: 'acknowledged', levelStartedAt: state.levelStartedAt },
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
    to: { ...from, status: 'exhausted', levelStartedAt: state.levelStartedAt },
    deliveries: [],
    entry: {
      kind: 'escalation',
      body: `Escalation exhausted: nobody acknowledged within ${minutesText(current.ackMinutes)} of level ${state.level + 1}, the last level`,
      data: { action: 'exhausted', level: state.level + 1 },
      actor: 'system',
      occurredAt: now,
      dedupeKey: `escalation:${state.severity ?? ''}:exhausted`,
    },
  });
  return applied ? 'exhausted' : null;
}

/** The severity is now more urgent (earlier in the scheme) than the one the escalation follows. */
async function severityRaised(ctx: AppContext, incident: Incident, state: EscalationState): Promise<boolean> {
  if (state.severity === null || state.severity === incident.severity) return false;
  const settings = await loadIncidentSettings(ctx, incident.orgId);
  const rank = (name: string) => settings.severities.findIndex((s) => s.name === name);
  const now = rank(incident.severity);
  const before = rank(state.severity);
  return now >= 0 && (before < 0 || now < before);
}

type Previous = { level: number; status: EscalationState['status']; severity: string | null } & (
  | { ackMinutes: number }
  | { raisedFrom: string | null }
);

/**
 * The step that notifies `level` (0-based): from nothing (the start), from the level before, or
 * from an escalation under a lower severity. Only enabled targets are told, and the timeline names
 * only them; a level with nobody to tell is marked due at once, so the next tick moves on.
 */
async function notifyLevel(
  ctx: AppContext,
  incident: Incident,
  policy: EscalationPolicy,
  level: number,
  previous: Previous | null,
): Promise<EscalationStep> {
  const now = ctx.clock.now();
  const { targetIds, ackMinutes } = policy.levels[level];
  const summary = await incidentSummary(ctx, incident);
  const severity = severityOf(await loadIncidentSettings(ctx, incident.orgId), incident.severity);
  const last = level + 1 === policy.levels.length;
  const reach = await reachableTargets(ctx, incident.orgId, targetIds);
  const why =
    previous === null
      ? ''
      : 'ackMinutes' in previous
        ? `Level ${previous.level + 1} did not acknowledge within ${minutesText(previous.ackMinutes)}. `
        : `Severity raised from ${previous.raisedFrom} to ${incident.severity}. `;
  const next = last
    ? 'This is the last level.'
    : `Acknowledge within ${minutesText(ackMinutes)} or level ${level + 2} is notified.`;
  const body = timelineText(incident, level, ackMinutes, reach, previous, last);
  return {
    incidentId: incident.id,
    orgId: incident.orgId,
    from: previous ? { level: previous.level, status: previous.status, severity: previous.severity } : null,
    to: {
      level,
      status: 'active',
      // Nobody to wait for: the level's deadline has already passed.
      levelStartedAt: reach.ids.length > 0 ? now : now - ackMinutes * MINUTE_MS,
      severity: incident.severity,
    },
    deliveries: deliveriesTo(
      reach.ids,
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
      `escalation:${incident.id}:${incident.severity}:level:${level + 1}`,
    ),
    entry: {
      kind: 'escalation',
      body,
      data: {
        action: previous === null || !('ackMinutes' in previous) ? 'notified' : 'escalated',
        level: level + 1,
        severity: incident.severity,
        targets: reach.ids.map(String),
        ackMinutes,
      },
      actor: 'system',
      occurredAt: now,
      dedupeKey: `escalation:${incident.severity}:level:${level + 1}`,
    },
    now,
  };
}

/** "Escalated to level 2 (manager): level 1 did not acknowledge within 15 minutes", and the like. */
function timelineText(
  incident: Incident,
  level: number,
  ackMinutes: number,
  reach: { ids: number[]; names: string; unreachable: string },
  previous: Previous | null,
  last: boolean,
): string {
  const reason =
    previous === null
      ? ''
      : 'ackMinutes' in previous
        ? `level ${previous.level + 1} did not acknowledge within ${minutesText(previous.ackMinutes)}`
        : `severity raised from ${previous.raisedFrom} to ${incident.severity}`;
  if (reach.ids.length === 0) {
    const then = last ? 'it is the last level' : `level ${level + 2} is next`;
    return `Escalation: level ${level + 1} has nobody to notify (${reach.unreachable || 'no targets'}); ${then}${reason ? `. Why now: ${reason}` : ''}`;
  }
  const missed = reach.unreachable ? `; not reachable: ${reach.unreachable}` : '';
  if (previous !== null && 'ackMinutes' in previous) {
    return `Escalated to level ${level + 1} (${reach.names}): ${reason}${missed}`;
  }
  const told = `notified level ${level + 1} (${reach.names}); acknowledge within ${minutesText(ackMinutes)}${missed}`;
  return previous === null
    ? `Escalation: ${told}`
    : `Severity raised from ${previous.raisedFrom} to ${incident.severity}: ${told}`;
}
