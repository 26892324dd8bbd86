import type { AppContext } from '../context.ts';
import { loadIncidentSettings } from '../incidents/settings.ts';
import { hasEnded, type Incident } from '../store/types-incidents.ts';
import type { EscalationPolicy } from '../store/types-notifications.ts';
import { deliveriesTo, incidentSummary, reachableTargets } from './incident-notice.ts';

const COMMS_LEAD = 'comms_lead';
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * When an unresolved incident's status update is overdue, reminds through the policy's reminder
 * targets (else its first level's), naming the Comms Lead — whose address email targets add to
 * their recipients. Once per due time: the entry's dedupe key is the due time, and a new status
 * update sets a new one. Returns whether this call wrote the reminder.
 */
export async function remindIncident(
  ctx: AppContext,
  incident: Incident,
  policy: EscalationPolicy | null,
): Promise<boolean> {
  const now = ctx.clock.now();
  const due = incident.nextUpdateDueAt;
  if (due === null || now <= due || hasEnded(incident.status) || !policy) return false;
  const targetIds = policy.reminderTargetIds.length
    ? policy.reminderTargetIds
    : (policy.levels[0]?.targetIds ?? []);
  if (targetIds.length === 0) return false;
  // Disabled or deleted targets get nothing; the entry says so rather than naming them as reminded.
  const reach = await reachableTargets(ctx, incident.orgId, targetIds);
  const reminded = reach.ids.length
    ? `reminded ${reach.names}${reach.unreachable ? `; not reachable: ${reach.unreachable}` : ''}`
    : `nobody reminded: ${reach.unreachable}`;
  const settings = await loadIncidentSettings(ctx, incident.orgId);
  const role = settings.roles.find((r) => r.key === COMMS_LEAD);
  const holder = incident.roles.find((r) => r.role === COMMS_LEAD);
  const user = holder ? await ctx.store.users.getById(holder.userId) : null;
  const lead = user ? { name: user.name || user.email, email: user.email } : null;
  const summary = await incidentSummary(ctx, incident);
  const minutes = Math.round((now - due) / 60_000);
  const whom = lead
    ? `${role?.name ?? 'Comms Lead'} ${lead.name}`
    : `no ${role?.name ?? 'Comms Lead'} assigned`;
  const last =
    incident.lastUpdateAt === null ? 'no update posted yet' : `last update ${iso(incident.lastUpdateAt)}`;
  return ctx.store.escalations.notifyOnce({
    incidentId: incident.id,
    orgId: incident.orgId,
    entry: {
      kind: 'reminder',
      body: `Status update overdue since ${iso(due)} (${whom}); ${reminded}`,
      data: { dueAt: iso(due), commsLead: lead, targets: reach.ids.map(String) },
      actor: 'system',
      occurredAt: now,
      dedupeKey: `reminder:${due}`,
    },
    deliveries: deliveriesTo(
      reach.ids,
      {
        kind: 'reminder',
        title: `${summary.ref} status update overdue: ${incident.title}`,
        text: `The next status update was due ${iso(due)} (${minutes} min ago; ${last}). ${lead ? `${lead.name}, as ${role?.name ?? 'Comms Lead'}, please post one.` : 'Nobody holds the Comms Lead role: assign one and post an update.'}`,
        url: summary.url,
        data: {
          incident: summary,
          update: {
            dueAt: iso(due),
            lastUpdateAt: incident.lastUpdateAt === null ? null : iso(incident.lastUpdateAt),
          },
          commsLead: lead,
          recipients: lead ? [lead.email] : [],
        },
      },
      `reminder:${incident.id}:${due}`,
    ),
    now,
  });
}
