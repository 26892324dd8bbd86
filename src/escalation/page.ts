import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { conflict, invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { IncidentContext } from '../incidents/access.ts';
import { type TimelineEntryView, withActorNames } from '../incidents/timeline.ts';
import { hasEnded } from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import { deliveriesTo, incidentSummary, targetNames } from './incident-notice.ts';
import { TargetId } from './policies.ts';

export const PageInput = z
  .object({
    /** Why people are paged now ("rollback failed"); it is the page's text. */
    message: z.string().trim().min(1).max(2000),
    /** A level of the severity's escalation policy (1-based); default the one after the last paged. */
    level: z.number().int().min(1).max(10).optional(),
    /** Or these targets, whatever the policy says. */
    targets: z.array(TargetId).min(1).max(20).optional(),
  })
  .strict()
  .refine((input) => input.level === undefined || input.targets === undefined, {
    message: 'give a level or targets, not both',
  });

/**
 * POST /incidents/{ref}/page/ — pages people now, acknowledged or not (`001_…`: "rollback fails
 * → ESCALATE — page humans"). Automatic escalation stops at acknowledgement; this does not, and
 * leaves that escalation's own state alone. The timeline entry and the deliveries are written in
 * one transaction.
 */
export async function pageIncident(
  ctx: AppContext,
  principal: Principal,
  { incident }: IncidentContext,
  body: unknown,
): Promise<TimelineEntryView> {
  const input = parseInput(PageInput, body, 'page');
  if (hasEnded(incident.status)) throw conflict(`${incident.status} incidents page nobody; reopen it first`);
  const { targetIds, level } = await whomToPage(ctx, incident, input);
  const targets = new Map((await ctx.store.notificationTargets.list(incident.orgId)).map((t) => [t.id, t]));
  const unknown = targetIds.find((id) => !targets.has(id));
  // Targets named by the caller must exist; a policy's level may still name one deleted since.
  if (unknown !== undefined && level === null) {
    throw invalid(`invalid targets: ${unknown} is not a notification target here`);
  }
  // A disabled target receives nothing: the page must not say it went there.
  const paged = targetIds.filter((id) => targets.get(id)?.enabled);
  if (paged.length === 0) {
    const names = targetIds.map((id) => targets.get(id)?.name ?? `#${id} (deleted)`).join(', ');
    throw conflict(
      `nobody would be paged: ${names} ${targetIds.length === 1 ? 'is' : 'are'} ${unknown === undefined ? 'disabled' : 'disabled or deleted'}`,
    );
  }
  const now = ctx.clock.now();
  const summary = await incidentSummary(ctx, incident);
  const names = await targetNames(ctx, incident.orgId, paged);
  const key = `page:${now}:${randomUUID()}`;
  const written = await ctx.store.escalations.notifyOnce({
    incidentId: incident.id,
    orgId: incident.orgId,
    entry: {
      kind: 'escalation',
      body: `Paged ${level === null ? '' : `level ${level} (`}${names}${level === null ? '' : ')'}: ${input.message}`,
      data: { action: 'paged', level, targets: paged.map(String), message: input.message },
      actor: principal.actor,
      occurredAt: now,
      dedupeKey: key,
    },
    deliveries: deliveriesTo(
      paged,
      {
        kind: 'escalation',
        title: `${summary.ref} (${incident.severity}) paging you: ${incident.title}`,
        text: `${input.message}\nStatus ${incident.status}${incident.acknowledgedAt === null ? '' : ', acknowledged'}.`,
        url: summary.url,
        data: { incident: summary, page: { level, message: input.message } },
      },
      key,
    ),
    now,
  });
  if (!written) throw conflict('the page was not recorded; try again');
  const pages = (await ctx.store.timeline.list(incident.id)).filter(
    (e) => e.kind === 'escalation' && (e.data as { action?: string }).action === 'paged',
  );
  return (await withActorNames(ctx, pages.slice(-1)))[0];
}

async function whomToPage(
  ctx: AppContext,
  incident: IncidentContext['incident'],
  input: z.infer<typeof PageInput>,
): Promise<{ targetIds: number[]; level: number | null }> {
  if (input.targets) return { targetIds: [...new Set(input.targets)], level: null };
  const policy = await ctx.store.escalationPolicies.get(incident.orgId, incident.severity);
  if (!policy || policy.levels.length === 0) {
    throw invalid(
      `${incident.severity} has no escalation policy to page from: name targets, or set one (firebreak notify escalation ${incident.severity} --level IDS)`,
    );
  }
  const state = await ctx.store.escalations.get(incident.id);
  const level = input.level ?? Math.min((state ? state.level + 1 : 0) + 1, policy.levels.length);
  if (level > policy.levels.length) {
    throw invalid(`invalid level: the ${incident.severity} policy has ${policy.levels.length} level(s)`);
  }
  return { targetIds: policy.levels[level - 1].targetIds, level };
}
