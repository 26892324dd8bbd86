import type { AppContext } from '../context.ts';
import { formatIncidentRef } from '../incidents/access.ts';
import type { Incident } from '../store/types-incidents.ts';
import type { NewDelivery, NotificationKind } from '../store/types-notifications.ts';

/** The incident as escalations and reminders describe it to a receiver (webhook `data.incident`). */
export async function incidentSummary(ctx: AppContext, incident: Incident) {
  const org = await ctx.store.orgs.getById(incident.orgId);
  const ref = formatIncidentRef(incident);
  return {
    id: String(incident.id),
    ref,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    declaredAt: new Date(incident.declaredAt).toISOString(),
    acknowledgedAt: incident.acknowledgedAt === null ? null : new Date(incident.acknowledgedAt).toISOString(),
    url: `${ctx.publicUrl()}/organizations/${org?.slug ?? incident.orgId}/incidents/${ref}/`,
    organization: { slug: org?.slug ?? null },
  };
}

/** One delivery per target, all with the same content and dedupe key. */
export function deliveriesTo(
  targetIds: number[],
  content: {
    kind: NotificationKind;
    title: string;
    text: string;
    url: string;
    data: Record<string, unknown>;
  },
  dedupeKey: string,
): NewDelivery[] {
  return [...new Set(targetIds)].map((targetId) => ({ targetId, ...content, dedupeKey }));
}

/** Target names for a timeline entry ("ops-webhook, pager-email"); ids of deleted targets as `#id`. */
export async function targetNames(ctx: AppContext, orgId: number, ids: number[]): Promise<string> {
  const targets = await ctx.store.notificationTargets.list(orgId);
  return ids.map((id) => targets.find((t) => t.id === id)?.name ?? `#${id}`).join(', ');
}

/**
 * Of a policy's target ids, those a notice reaches (existing and enabled) with their names, and the
 * others described ("ops (disabled), #5 (deleted)"), so a timeline entry names only who was told.
 */
export async function reachableTargets(
  ctx: AppContext,
  orgId: number,
  ids: number[],
): Promise<{ ids: number[]; names: string; nameList: string[]; unreachable: string }> {
  const targets = new Map((await ctx.store.notificationTargets.list(orgId)).map((t) => [t.id, t]));
  const reached = [...new Set(ids)].filter((id) => targets.get(id)?.enabled);
  const unreachable = [...new Set(ids)]
    .filter((id) => !reached.includes(id))
    .map((id) => {
      const target = targets.get(id);
      return target ? `${target.name} (disabled)` : `#${id} (deleted)`;
    });
  // A list too: a name may itself hold a comma.
  const nameList = reached.map((id) => targets.get(id)!.name);
  return {
    ids: reached,
    names: nameList.join(', '),
    nameList,
    unreachable: unreachable.join(', '),
  };
}

/** A deadline after "within": `--level 1:0` reads "within less than a minute", not "within at once". */
export const minutesText = (minutes: number): string =>
  minutes === 0 ? 'less than a minute' : minutes === 1 ? '1 minute' : `${minutes} minutes`;
