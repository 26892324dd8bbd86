import { z } from 'zod';
import { conflict, invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Org, Project } from '../store/types.ts';
import {
  hasEnded,
  type Incident,
  type IncidentFields,
  type TimelineEntry,
} from '../store/types-incidents.ts';
import { clip, parseInput } from '../validation.ts';
import { formatIncidentRef, type IncidentContext } from './access.ts';
import { Argument } from './hook-argument.ts';
import { hookRepliesShownTo, hookResultText, shownEntry, shownHookResult } from './hook-result-shown.ts';
import { callMitigationHooks, type HookResult } from './mitigation-hook-call.ts';
import { type TimelineEntryView, withActorNames } from './timeline.ts';
import { notInFuture, Timestamp } from './timestamps.ts';

export const MITIGATION_TYPES = [
  'rollback',
  'hotfix',
  'feature_flag',
  'config_change',
  'scale_up',
  'other',
] as const;

export const MitigationInput = z
  .object({
    type: z.enum(MITIGATION_TYPES),
    /** rollback: the release rolled back to; hotfix: the release that carries the fix. */
    release: Argument(250).optional(),
    environment: Argument(64).optional(),
    description: z.string().trim().max(2000).optional(),
    /** Free text, or a member's email (then linked to the user). */
    owner: Argument(320).optional(),
    /** One project's hook; default every affected project's. */
    project: z.string().trim().min(1).max(100).optional(),
    /** When it was done, if not now (a rollback someone ran before recording it). */
    occurredAt: Timestamp.optional(),
    /** false records a mitigation done by hand without calling the hooks again. */
    runHooks: z.boolean().default(true),
  })
  .strict()
  .superRefine((input, check) => {
    if ((input.type === 'rollback' || input.type === 'hotfix') && !input.release) {
      check.addIssue({
        code: 'custom',
        path: ['release'],
        message: `a ${input.type} names its release (${input.type === 'rollback' ? 'the release rolled back to' : 'the release with the fix'})`,
      });
    }
  });

const LABELS: Record<(typeof MITIGATION_TYPES)[number], string> = {
  rollback: 'Rollback to',
  hotfix: 'Hotfix',
  feature_flag: 'Feature flag off',
  config_change: 'Config change',
  scale_up: 'Scale up',
  other: 'Mitigation',
};

/** The projects an incident affects: those of its linked issues, and services naming a project. */
export async function affectedProjects(ctx: AppContext, org: Org, incident: Incident): Promise<Project[]> {
  const found = new Map<number, Project>();
  for (const id of incident.issueIds) {
    const issue = await ctx.store.issues.getById(id);
    const project = issue ? await ctx.store.projects.getById(issue.projectId) : null;
    if (project) found.set(project.id, project);
  }
  for (const service of incident.services) {
    const project = await ctx.store.projects.getBySlug(org.id, service);
    if (project) found.set(project.id, project);
  }
  return [...found.values()];
}

/** The latest mitigation on a timeline (entries come in occurrence order). */
export function latestMitigation(entries: TimelineEntry[]): TimelineEntry | null {
  return entries.findLast((entry) => entry.kind === 'mitigation') ?? null;
}

/** POST /incidents/{ref}/mitigations/ — records it, sets the milestone, calls the projects' hooks. */
export async function recordMitigation(
  ctx: AppContext,
  principal: Principal,
  { org, incident }: IncidentContext,
  body: unknown,
): Promise<{ entry: TimelineEntryView; hooks: HookResult[] }> {
  const input = parseInput(MitigationInput, body, 'mitigation');
  if (hasEnded(incident.status)) {
    throw conflict(
      `${formatIncidentRef(incident)} is ${incident.status}; reopen it before recording a mitigation`,
    );
  }
  const now = ctx.clock.now();
  notInFuture(input.occurredAt, now, 'occurredAt');
  const at = input.occurredAt ?? now;
  // Nothing is mitigated before its impact began (the first event, else detection): such a date
  // would make every later error look like a relapse to verification.
  const impactStart = incident.firstEventAt ?? incident.detectedAt;
  if (impactStart !== null && at < impactStart) {
    throw invalid(
      `invalid occurredAt: it is before the incident began (${new Date(impactStart).toISOString()})`,
    );
  }
  let targets: Project[];
  if (input.project) {
    const project = await ctx.store.projects.getBySlug(org.id, input.project);
    if (!project) throw invalid(`unknown project ${clip(input.project)}`);
    targets = [project];
  } else targets = await affectedProjects(ctx, org, incident);
  const owner = input.owner ?? null;
  const ownerUser = owner?.includes('@') ? await ctx.store.users.getByEmail(owner) : null;
  const ownerUserId = ownerUser && (await ctx.store.members.get(org.id, ownerUser.id)) ? ownerUser.id : null;
  const text = [
    `${LABELS[input.type]}${input.release ? ` ${input.release}` : ''}`,
    input.environment ? ` in ${input.environment}` : '',
    input.description ? `: ${input.description}` : '',
    owner ? ` (owner: ${ownerUser && ownerUserId ? ownerUser.name || ownerUser.email : owner})` : '',
  ].join('');
  const entry = {
    kind: 'mitigation',
    body: text.slice(0, 5000),
    data: {
      type: input.type,
      release: input.release ?? null,
      environment: input.environment ?? null,
      description: input.description ?? null,
      owner,
      ownerUserId,
      project: input.project ?? null,
      projects: targets.map((p) => p.slug),
    },
    actor: principal.actor,
    occurredAt: at,
  };
  const written = await appendWithMilestone(ctx, incident, entry, at, now);
  const hooks = input.runHooks ? await callMitigationHooks(ctx, org, incident, targets, written) : [];
  if (hooks.length > 0) {
    const finished = ctx.clock.now();
    await ctx.store.timeline.add(
      incident.id,
      hooks.map((result) => ({
        kind: 'hook_result',
        body: hookResultText(result),
        data: { ...result, mitigationEntryId: written.id },
        actor: 'system',
        occurredAt: finished,
      })),
      finished,
    );
  }
  const showsReply = hookRepliesShownTo(principal);
  return {
    entry: (await withActorNames(ctx, [written]))[0],
    hooks: hooks.map((result) => shownHookResult(result, showsReply)),
  };
}

/**
 * Appends the entry and moves the `mitigated` milestone to the earliest mitigation. The milestone
 * write is conditional (two first mitigations at once must not both set it), so a lost race is
 * retried from a fresh read: recording a mitigation should never fail because someone else wrote.
 */
async function appendWithMilestone(
  ctx: AppContext,
  incident: Incident,
  entry: { kind: string; body: string; data: Record<string, unknown>; actor: string; occurredAt: number },
  at: number,
  now: number,
): Promise<TimelineEntry> {
  let current: Incident | null = incident;
  for (let attempt = 0; attempt < 5 && current; attempt++) {
    const moves = current.mitigatedAt === null || at < current.mitigatedAt;
    const fields: Partial<IncidentFields> = moves ? { mitigatedAt: at } : {};
    const updated = await ctx.store.incidents.update(current.id, {
      expectedVersion: moves ? current.version : undefined,
      fields,
      entries: [entry],
      now,
    });
    if (updated) return updated.written[0];
    current = await ctx.store.incidents.getById(current.id);
  }
  throw conflict('The incident kept changing while the mitigation was recorded; try again.');
}

/** GET /incidents/{ref}/mitigations/ — oldest first, each with the results of its hook calls. */
export async function listMitigations(
  ctx: AppContext,
  principal: Principal,
  { incident }: IncidentContext,
): Promise<(TimelineEntryView & { hooks: TimelineEntry[] })[]> {
  const showsReply = hookRepliesShownTo(principal);
  const entries = await ctx.store.timeline.list(incident.id);
  const mitigations = await withActorNames(
    ctx,
    entries.filter((e) => e.kind === 'mitigation'),
  );
  return mitigations.map((m) => ({
    ...m,
    hooks: entries
      .filter((e) => e.kind === 'hook_result' && e.data.mitigationEntryId === m.id)
      .map((e) => shownEntry(e, showsReply)),
  }));
}
