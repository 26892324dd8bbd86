import { formatIncidentRef } from '../incidents/access.ts';
import { declareIncidentAs } from '../incidents/declare.ts';
import { enqueueNotification } from '../notify/enqueue.ts';
import type { AlertAction, AlertFiring } from '../store/types-alerts.ts';
import type { Incident, NewTimelineEntry } from '../store/types-incidents.ts';
import { MINUTE } from './baseline.ts';
import { alertMessage } from './message.ts';
import type { Candidate, ProjectScan } from './scan.ts';

/** rule id + detector + subject + window: the same on every node that sees the same condition. */
export const firingKey = (candidate: Candidate) =>
  firingKeyOf(candidate.rule.id, candidate.detector, candidate.subject, candidate.window);

export const firingKeyOf = (ruleId: number, detector: string, subject: string, window: string) =>
  `${ruleId}:${detector}:${subject}:${window}`;

/**
 * Claims the firing (INSERT … ON CONFLICT DO NOTHING behind a per-subject cooldown row) and, only
 * when this call inserted it, runs the rule's actions and records their results. Another node
 * seeing the same condition gets null and does nothing. A node that dies between the claim and
 * the actions leaves the firing `claimed`: actions run at most once.
 */
export async function fireCandidate(scan: ProjectScan, candidate: Candidate): Promise<AlertFiring | null> {
  const { ctx } = scan;
  const firing = await ctx.store.alertFirings.claim({
    ruleId: candidate.rule.id,
    orgId: scan.org.id,
    projectId: scan.project.id,
    detector: candidate.detector,
    subject: candidate.subject,
    key: firingKey(candidate),
    issueId: candidate.issue?.id ?? null,
    firedAt: candidate.at,
    summary: candidate.summary.slice(0, 500),
    // The rule's name at the time, for the history once the rule is renamed or deleted.
    data: { rule: candidate.rule.name, ...candidate.data },
    cooldownMs: candidate.rule.cooldownMinutes * MINUTE,
  });
  if (!firing) return null;
  const results: Record<string, unknown>[] = [];
  for (const action of candidate.rule.actions) {
    try {
      results.push(await runAction(scan, candidate, firing, action));
    } catch (error) {
      // One failing action (an unknown severity, say) must not stop the others.
      ctx.logger.warn({ err: error, firingId: firing.id, action: action.type }, 'alert action failed');
      results.push({ type: action.type, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return (await ctx.store.alertFirings.finish(firing.id, results)) ?? firing;
}

async function runAction(
  scan: ProjectScan,
  candidate: Candidate,
  firing: AlertFiring,
  action: AlertAction,
): Promise<Record<string, unknown>> {
  const { ctx, org } = scan;
  if (action.type === 'notify') {
    const targetIds =
      action.targetIds === 'all'
        ? (await ctx.store.notificationTargets.list(org.id)).filter((t) => t.enabled).map((t) => t.id)
        : action.targetIds;
    if (targetIds.length === 0) return { type: 'notify', targets: [], enqueued: 0 };
    const message = alertMessage(scan, candidate, firing);
    const { enqueued } = await enqueueNotification(ctx, {
      orgId: org.id,
      targetIds,
      kind: 'alert',
      ...message,
      dedupeKey: `alert:${firing.key}`,
    });
    return { type: 'notify', targets: targetIds.map(String), enqueued };
  }
  const open = await openIncidents(scan, candidate);
  if (action.type === 'attach_incident') {
    for (const incident of open) await addAlertEntry(scan, candidate, firing, incident);
    return { type: 'attach_incident', incidents: open.map(formatIncidentRef) };
  }
  // declare_incident: an open incident on the same issue already carries it; attach instead.
  if (open.length > 0) {
    await addAlertEntry(scan, candidate, firing, open[0]);
    return { type: 'declare_incident', declared: false, incident: formatIncidentRef(open[0]) };
  }
  const issue = candidate.issue;
  const incident = await declareIncidentAs(ctx, org, 'system', {
    ...(issue
      ? { issues: [String(issue.id)] }
      : { title: candidate.summary.slice(0, 200), services: [scan.project.slug] }),
    ...(action.severity ? { severity: action.severity } : {}),
    detectionSource: 'alert',
    detectedAt: firing.firedAt,
  });
  await addAlertEntry(scan, candidate, firing, incident);
  return { type: 'declare_incident', declared: true, incident: formatIncidentRef(incident) };
}

/** Open incidents the firing belongs to: those linking its issue, else those naming its project. */
async function openIncidents(scan: ProjectScan, candidate: Candidate): Promise<Incident[]> {
  const store = scan.ctx.store;
  const incidents = candidate.issue
    ? await store.incidents.listByIssue(candidate.issue.id)
    : (await store.incidents.listUnresolved()).filter(
        (i) => i.orgId === scan.org.id && i.services.includes(scan.project.slug),
      );
  return incidents.filter((i) => i.status !== 'resolved');
}

async function addAlertEntry(
  scan: ProjectScan,
  candidate: Candidate,
  firing: AlertFiring,
  incident: Incident,
) {
  const entry: NewTimelineEntry = {
    kind: 'alert',
    body: `Alert "${candidate.rule.name}": ${candidate.summary}`.slice(0, 2000),
    data: {
      ruleId: String(candidate.rule.id),
      firingId: String(firing.id),
      detector: candidate.detector,
      subject: candidate.subject,
      ...candidate.data,
    },
    actor: 'system',
    occurredAt: firing.firedAt,
    dedupeKey: `alert:${firing.key}`,
  };
  await scan.ctx.store.timeline.add(incident.id, [entry], scan.ctx.clock.now());
}
