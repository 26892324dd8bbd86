import type { AppContext } from '../context.ts';
import type { Incident } from '../store/types-incidents.ts';
import type { NotificationKind } from '../store/types-notifications.ts';
import { deliveriesTo, incidentSummary, reachableTargets } from './incident-notice.ts';

/** An incident's stakeholders: its severity policy's update targets, by id and by name. */
export interface Stakeholders {
  targetIds: number[];
  names: string[];
}

/** Disabled targets receive nothing, so they are neither sent to nor named as informed. */
export async function stakeholdersOf(ctx: AppContext, incident: Incident): Promise<Stakeholders> {
  const policy = await ctx.store.escalationPolicies.get(incident.orgId, incident.severity);
  const wanted = policy?.updateTargetIds ?? [];
  if (wanted.length === 0) return { targetIds: [], names: [] };
  const reach = await reachableTargets(ctx, incident.orgId, wanted);
  return { targetIds: reach.ids, names: reach.nameList };
}

/**
 * Tells the stakeholders what the responders said: each status update, and the resolution
 * (`001_…`: "post in Slack", "update the ticket with the resolution"; `003_…`: updates every 15
 * minutes for stakeholders). One delivery per target, sent and retried by the delivery worker;
 * queued right after the timeline entry that records whom it went to.
 */
export async function announceToStakeholders(
  ctx: AppContext,
  incident: Incident,
  stakeholders: Stakeholders,
  announcement: {
    kind: Extract<NotificationKind, 'status_update' | 'resolved'>;
    title: string;
    text: string;
    data: Record<string, unknown>;
    /** What makes it one announcement: the same key is never queued twice for a target. */
    dedupeKey: string;
  },
): Promise<void> {
  if (stakeholders.targetIds.length === 0) return;
  const summary = await incidentSummary(ctx, incident);
  const deliveries = deliveriesTo(
    stakeholders.targetIds,
    {
      kind: announcement.kind,
      title: `${summary.ref} ${announcement.title}`,
      text: announcement.text,
      url: summary.url,
      data: { incident: summary, ...announcement.data },
    },
    announcement.dedupeKey,
  );
  await ctx.store.notificationDeliveries.enqueue(incident.orgId, deliveries, ctx.clock.now());
}
