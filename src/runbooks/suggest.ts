import type { AppContext } from '../context.ts';
import type { IncidentContext } from '../incidents/access.ts';
import { affectedProjects } from '../incidents/mitigate.ts';
import { loadIncidentSettings } from '../incidents/settings.ts';
import { shortIdOf } from '../issues/short-id.ts';
import type { Org } from '../store/types.ts';
import type { Incident, NewTimelineEntry } from '../store/types-incidents.ts';
import type { RunbookTag } from '../store/types-runbooks.ts';
import { formatTag, parseTagRef } from './schemas.ts';
import { type RunbookView, viewRunbooks } from './view.ts';

/** Tag values read per linked issue and runbook tag key (the most frequent first). */
const MAX_VALUES_PER_KEY = 200;

export interface RunbookSuggestion extends RunbookView {
  /** Why it applies: the incident's projects it is attached to, and its tags seen on the incident. */
  matchedBy: {
    projects: string[];
    /** `service:api` with the linked issues whose events carried it, or `services` when the incident names it. */
    tags: { tag: string; seenOn: string[] }[];
  };
}

/**
 * The runbooks for an incident: those attached to one of its projects (the linked issues'
 * projects and services naming a project), and those attached to a tag value the linked issues'
 * events carried (`service:api`) or the incident's services name (`services: ["service:api"]`).
 */
export async function suggestRunbooks(
  ctx: AppContext,
  org: Org,
  incident: Incident,
): Promise<RunbookSuggestion[]> {
  const projects = await affectedProjects(ctx, org, incident);
  const keys = new Set(await ctx.store.runbooks.tagKeys(org.id));
  const seen = new Map<string, { tag: RunbookTag; on: Set<string> }>();
  const see = (tag: RunbookTag, on: string) => {
    const name = formatTag(tag);
    const entry = seen.get(name) ?? { tag, on: new Set<string>() };
    entry.on.add(on);
    seen.set(name, entry);
  };
  if (keys.size > 0) {
    for (const issueId of incident.issueIds) {
      const issue = await ctx.store.issues.getById(issueId);
      const project = issue ? await ctx.store.projects.getById(issue.projectId) : null;
      if (!issue || !project) continue;
      for (const key of keys) {
        const values = (await ctx.store.issues.tagValues(issue.id, key)).slice(0, MAX_VALUES_PER_KEY);
        for (const { value } of values) see({ key, value }, shortIdOf(project, issue));
      }
    }
    // A bare service naming no project ("checkout") is a value of the component tag, as for
    // similar incidents and `diagnostics --service`: `service:checkout` when none is set.
    const componentKey = (await loadIncidentSettings(ctx, org.id)).componentTag || 'service';
    for (const service of incident.services) {
      const tag =
        parseTagRef(service) ??
        (projects.some((p) => p.slug === service) ? null : { key: componentKey, value: service });
      if (tag && keys.has(tag.key)) see(tag, 'services');
    }
  }
  const runbooks = await ctx.store.runbooks.matching({
    orgId: org.id,
    projectIds: projects.map((p) => p.id),
    tags: [...seen.values()].map((s) => s.tag),
  });
  const views = await viewRunbooks(ctx, org.id, runbooks);
  return views.map((view) => ({
    ...view,
    matchedBy: {
      projects: projects.filter((p) => view.runbook.projectIds.includes(p.id)).map((p) => p.slug),
      tags: view.runbook.tags.flatMap((tag) => {
        const hit = seen.get(formatTag(tag));
        return hit ? [{ tag: formatTag(tag), seenOn: [...hit.on].sort() }] : [];
      }),
    },
  }));
}

/** GET /incidents/{ref}/runbooks/ */
export function incidentRunbooks(
  ctx: AppContext,
  { org, incident }: IncidentContext,
): Promise<RunbookSuggestion[]> {
  return suggestRunbooks(ctx, org, incident);
}

/** `project web, tag service:api` */
export function matchText(suggestion: RunbookSuggestion): string {
  return [
    ...suggestion.matchedBy.projects.map((p) => `project ${p}`),
    ...suggestion.matchedBy.tags.map((t) => `tag ${t.tag}`),
  ].join(', ');
}

/** One `runbook` timeline entry per suggestion, each written once per incident. */
export function runbookEntries(suggestions: RunbookSuggestion[], now: number): NewTimelineEntry[] {
  return suggestions.map((s) => ({
    kind: 'runbook',
    body: `Runbook: ${s.runbook.title} (${matchText(s)})`.slice(0, 2000),
    data: { runbookId: String(s.runbook.id), title: s.runbook.title, matchedBy: s.matchedBy },
    actor: 'system',
    occurredAt: now,
    dedupeKey: `runbook:${s.runbook.id}`,
  }));
}
