import { z } from 'zod';
import { conflict } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { announceToStakeholders, stakeholdersOf } from '../escalation/announce.ts';
import { hasEnded, INCIDENT_STATUSES, type Incident } from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import type { IncidentContext } from './access.ts';
import { nextUpdateDue } from './change.ts';
import { type TimelineEntryView, withActorNames } from './timeline.ts';
import { MINUTE_MS } from './timestamps.ts';

export const AUDIENCES = ['internal', 'stakeholder'] as const;

export const StatusUpdateInput = z
  .object({
    /** The incident's status as the update states it; default its current status. */
    status: z.enum(INCIDENT_STATUSES).optional(),
    /** Who is affected, and how. */
    impact: z.string().trim().min(1).max(2000),
    message: z.string().trim().min(1).max(10_000),
    audience: z.enum(AUDIENCES).default('internal'),
    /** Default: the severity's update cadence (`003_…`: every 15 minutes while it is serious). */
    nextUpdateInMinutes: z.number().int().min(1).max(10_080).optional(),
  })
  .strict();

/**
 * POST /incidents/{ref}/updates/ — a status update as a structured timeline entry; it restarts
 * the cadence (lastUpdateAt, nextUpdateDueAt), which the list and detail flag once overdue.
 * A `stakeholder` update is sent to the severity's update targets; an `internal` one is not.
 * The latest update decides when the next is due, so it is written unconditionally (a
 * concurrent note or role change must not turn a posted update into a 409).
 */
const MAX_NUMBERING_ATTEMPTS = 10;

export async function postStatusUpdate(
  ctx: AppContext,
  principal: Principal,
  { incident, settings }: IncidentContext,
  body: unknown,
): Promise<TimelineEntryView> {
  const input = parseInput(StatusUpdateInput, body, 'update');
  const now = ctx.clock.now();
  const status = input.status ?? incident.status;
  const open = !hasEnded(incident.status);
  const nextDue =
    input.nextUpdateInMinutes !== undefined
      ? now + input.nextUpdateInMinutes * MINUTE_MS
      : open
        ? nextUpdateDue(settings, incident.severity, now)
        : null;
  // An internal update is for the responders, on the timeline only; stakeholder updates go out.
  const stakeholders =
    input.audience === 'stakeholder' ? await stakeholdersOf(ctx, incident) : { targetIds: [], names: [] };
  // The number is the count of updates before it, so the write applies only to the incident as
  // counted: two updates posted at once (on two nodes) would both be #N. A concurrent change of
  // any kind means count again and retry, never a 409 for a posted update.
  let updated: Awaited<ReturnType<typeof ctx.store.incidents.update>> = null;
  let number = 0;
  let current: Incident | null = incident;
  for (let attempt = 1; !updated; attempt++) {
    if (attempt > 1) current = await ctx.store.incidents.getById(incident.id);
    if (!current) throw conflict('the incident is gone');
    if (attempt > MAX_NUMBERING_ATTEMPTS) throw conflict('the incident kept changing; post the update again');
    const entries = await ctx.store.timeline.list(current.id);
    number = entries.filter((e) => e.kind === 'status_update').length + 1;
    updated = await ctx.store.incidents.update(current.id, {
      expectedVersion: current.version,
      fields: { lastUpdateAt: now, nextUpdateDueAt: nextDue },
      entries: [
        {
          kind: 'status_update',
          body: `Update #${number} (${input.audience}, ${status}): ${input.message}`.slice(0, 10_000),
          data: {
            number,
            status,
            impact: input.impact,
            message: input.message,
            audience: input.audience,
            nextUpdateInMinutes: nextDue === null ? null : Math.round((nextDue - now) / MINUTE_MS),
            nextUpdateDue: nextDue === null ? null : new Date(nextDue).toISOString(),
            notified: stakeholders.names,
          },
          actor: principal.actor,
          occurredAt: now,
        },
      ],
      now,
    });
  }
  const [entry] = updated.written;
  const due = nextDue === null ? '' : `\n\nNext update by ${new Date(nextDue).toISOString()}.`;
  await announceToStakeholders(ctx, updated, stakeholders, {
    kind: 'status_update',
    title: `update #${number} (${status}): ${incident.title}`,
    text: `Impact: ${input.impact}\n\n${input.message}${due}`,
    data: {
      update: { number, status, impact: input.impact, message: input.message, audience: input.audience },
    },
    dedupeKey: `update:${incident.id}:${entry.id}`,
  });
  return (await withActorNames(ctx, updated.written))[0];
}

/** GET /incidents/{ref}/updates/ — the status updates posted so far, oldest first. */
export async function listStatusUpdates(
  ctx: AppContext,
  { incident }: IncidentContext,
): Promise<TimelineEntryView[]> {
  const entries = await ctx.store.timeline.list(incident.id);
  return withActorNames(
    ctx,
    entries.filter((e) => e.kind === 'status_update'),
  );
}
