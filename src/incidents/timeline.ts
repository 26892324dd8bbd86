import { z } from 'zod';
import { invalid, notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { shortIdOf } from '../issues/short-id.ts';
import type { Incident, TimelineEdit, TimelineEntry } from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import type { IncidentContext } from './access.ts';
import { hookRepliesShownTo, shownEntry } from './hook-result-shown.ts';
import { notInFuture, Timestamp } from './timestamps.ts';

/** Entries people write; every other kind is written by Firebreak and only starred by people. */
export const MANUAL_KINDS = ['note', 'hypothesis', 'decision', 'action'] as const;

const NewEntryInput = z
  .object({
    kind: z.enum(MANUAL_KINDS).default('note'),
    body: z.string().trim().min(1).max(10_000),
    /** When it happened, if not now (a decision taken on a call a few minutes ago). */
    occurredAt: Timestamp.optional(),
  })
  .strict();

const EditEntryInput = z
  .object({
    body: z.string().trim().min(1).max(10_000).optional(),
    starred: z.boolean().optional(),
  })
  .strict();

export interface TimelineEntryView extends TimelineEntry {
  actorName: string;
}

/** How far before its declaration a note may be dated when the incident's first event is later. */
export const NOTE_LOOKBACK_HOURS = 24;

/**
 * The earliest moment a note may name: something that happened during the incident or shortly
 * before it (the deploy or config change an hour earlier, the first customer report), as
 * incident.io lets a timeline item be back-dated — not 1970, which would sort it before
 * everything and stretch the post-mortem's timeline over years. The later bound is the clock
 * (`notInFuture`).
 */
export function earliestNoteAt(incident: Incident): number {
  return Math.min(incidentStart(incident), incident.declaredAt - NOTE_LOOKBACK_HOURS * 3_600_000);
}

/** POST /incidents/{ref}/timeline/ */
export async function addTimelineEntry(
  ctx: AppContext,
  principal: Principal,
  { incident }: IncidentContext,
  body: unknown,
): Promise<TimelineEntryView> {
  const input = parseInput(NewEntryInput, body, 'entry');
  const now = ctx.clock.now();
  notInFuture(input.occurredAt, now, 'occurredAt');
  const earliest = earliestNoteAt(incident);
  if (input.occurredAt !== undefined && input.occurredAt < earliest) {
    throw invalid(
      `invalid occurredAt: it is before ${new Date(earliest).toISOString()}; a note may be dated back to the incident's first event or ${NOTE_LOOKBACK_HOURS} hours before its declaration, whichever is earlier`,
    );
  }
  const [entry] = await ctx.store.timeline.add(
    incident.id,
    [{ kind: input.kind, body: input.body, actor: principal.actor, occurredAt: input.occurredAt ?? now }],
    now,
  );
  return (await withActorNames(ctx, [entry]))[0];
}

/** PUT /incidents/{ref}/timeline/{id}/ — edits keep the previous text; any entry can be starred. */
export async function editTimelineEntry(
  ctx: AppContext,
  principal: Principal,
  { incident }: IncidentContext,
  entryId: string,
  body: unknown,
): Promise<TimelineEntryView & { edits: TimelineEdit[] }> {
  const input = parseInput(EditEntryInput, body, 'entry');
  const entry = await entryOf(ctx, incident, entryId);
  if (input.body !== undefined && !(MANUAL_KINDS as readonly string[]).includes(entry.kind)) {
    throw invalid(
      `a ${entry.kind} entry is a record of what happened; only notes, hypotheses, decisions and actions can be edited`,
    );
  }
  const edited = await ctx.store.timeline.edit(entry.id, {
    ...input,
    actor: principal.actor,
    now: ctx.clock.now(),
  });
  if (!edited) throw notFound('timeline entry');
  const [view] = await withActorNames(ctx, [shownEntry(edited, hookRepliesShownTo(principal))]);
  return { ...view, edits: await ctx.store.timeline.edits(entry.id) };
}

/** GET /incidents/{ref}/timeline/{id}/ — with its edit history. */
export async function getTimelineEntry(
  ctx: AppContext,
  principal: Principal,
  { incident }: IncidentContext,
  entryId: string,
): Promise<TimelineEntryView & { edits: TimelineEdit[] }> {
  const entry = shownEntry(await entryOf(ctx, incident, entryId), hookRepliesShownTo(principal));
  return { ...(await withActorNames(ctx, [entry]))[0], edits: await ctx.store.timeline.edits(entry.id) };
}

async function entryOf(ctx: AppContext, incident: Incident, entryId: string): Promise<TimelineEntry> {
  const entry = /^\d{1,15}$/.test(entryId) ? await ctx.store.timeline.get(Number(entryId)) : null;
  if (!entry || entry.incidentId !== incident.id) throw notFound('timeline entry');
  return entry;
}

/** GET /incidents/{ref}/timeline/ — brought up to date with deploys and new issues first. */
export async function listTimeline(
  ctx: AppContext,
  principal: Principal,
  { incident }: IncidentContext,
): Promise<TimelineEntryView[]> {
  await syncTimeline(ctx, incident);
  const showsReply = hookRepliesShownTo(principal);
  const entries = await ctx.store.timeline.list(incident.id);
  return withActorNames(
    ctx,
    entries.map((entry) => shownEntry(entry, showsReply)),
  );
}

/** Where the incident's data window starts: its first event, else its detection or declaration. */
export function incidentStart(incident: Incident): number {
  return Math.min(
    incident.firstEventAt ?? Number.POSITIVE_INFINITY,
    incident.detectedAt ?? incident.declaredAt,
    incident.declaredAt,
  );
}

/**
 * Adds what the data says happened during the incident: deploys of the affected projects and
 * issues first seen in them. Dedupe keys make it safe to run on every read and periodically.
 */
export async function syncTimeline(ctx: AppContext, incident: Incident): Promise<number> {
  if (incident.issueIds.length === 0) return 0;
  const now = ctx.clock.now();
  const start = incidentStart(incident);
  const end = incident.resolvedAt ?? now;
  const projectIds = new Set<number>();
  for (const id of incident.issueIds) {
    const issue = await ctx.store.issues.getById(id);
    if (issue) projectIds.add(issue.projectId);
  }
  const ids = [...projectIds];
  const deploys = await ctx.store.signals.deploys({ projectIds: ids, start, end: end + 1, limit: 50 });
  const related = await ctx.store.issues.list({
    orgId: incident.orgId,
    projectIds: ids,
    filter: {
      conditions: [
        { field: 'firstSeen', op: '>=', value: start },
        { field: 'firstSeen', op: '<=', value: end },
        { field: 'id', values: incident.issueIds, negate: true },
      ],
    },
    sort: 'new',
    limit: 50,
  });
  const projects = new Map(
    (await Promise.all(ids.map((id) => ctx.store.projects.getById(id)))).flatMap((p) =>
      p ? [[p.id, p]] : [],
    ),
  );
  const added = await ctx.store.timeline.add(
    incident.id,
    [
      ...deploys.map((d) => ({
        kind: 'deploy',
        body: `Deploy of ${d.version} to ${d.environment} finished`,
        data: { deployId: d.id, version: d.version, environment: d.environment },
        actor: 'system',
        occurredAt: d.dateFinished,
        dedupeKey: `deploy:${d.id}`,
      })),
      ...related.issues.map((issue) => {
        const project = projects.get(issue.projectId);
        const shortId = project ? shortIdOf(project, issue) : String(issue.id);
        return {
          kind: 'related_issue',
          body: `New issue ${shortId} first seen: ${issue.title}`,
          data: { issueId: issue.id, shortId, project: project?.slug ?? null },
          actor: 'system',
          occurredAt: issue.firstSeen,
          dedupeKey: `related_issue:${issue.id}`,
        };
      }),
    ],
    now,
  );
  return added.length;
}

/** Display names for `user:N` actors (others stay as they are: `token:3`, `system`). */
export async function withActorNames(
  ctx: AppContext,
  entries: TimelineEntry[],
): Promise<TimelineEntryView[]> {
  const names = new Map<string, string>();
  for (const entry of entries) {
    const userId = /^user:(\d+)$/.exec(entry.actor)?.[1];
    if (!userId || names.has(entry.actor)) continue;
    const user = await ctx.store.users.getById(Number(userId));
    names.set(entry.actor, user ? user.name || user.email : entry.actor);
  }
  return entries.map((entry) => ({ ...entry, actorName: names.get(entry.actor) ?? entry.actor }));
}
