import { z } from 'zod';
import { conflict, invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { shortIdOf } from '../issues/short-id.ts';
import type { Issue, Project } from '../store/types.ts';
import { hasEnded, type Incident, type NewTimelineEntry } from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import { type IncidentContext, resolveIssueRefs } from './access.ts';

/** Issues first seen this long before a declaration belong to the incident's surge. */
const SURGE_LOOKBACK_MS = 24 * 3_600_000;

/**
 * The incident's first event: the earliest first-seen of its linked issues that appeared in the
 * day before. An old issue that flares up says nothing about when the flare started, so it
 * leaves the milestone unknown unless it is given.
 */
export function firstEventOf(issues: Issue[], declaredAt: number): number | null {
  const recent = issues.map((i) => i.firstSeen).filter((t) => t >= declaredAt - SURGE_LOOKBACK_MS);
  return recent.length ? Math.min(...recent) : null;
}

/**
 * The issues whose first-seen can say when this incident's impact began: not those of an earlier
 * incident that is over. A fixed issue that comes back within the day is a recurrence, and its
 * first event was the earlier impact's (a recurrence reported that one's hour of errors and users
 * as its own, and its time to detect from there). An earlier incident still open shares the
 * impact, and its first event.
 */
export async function issuesNewToIncidents(
  ctx: AppContext,
  issues: Issue[],
  incidentId?: number,
): Promise<Issue[]> {
  const fresh: Issue[] = [];
  for (const issue of issues) {
    const earlier = await ctx.store.incidents.listByIssue(issue.id);
    if (!earlier.some((i) => i.id !== incidentId && hasEnded(i.status))) fresh.push(issue);
  }
  return fresh;
}

export function linkEntry(
  l: { issue: Issue; project: Project },
  actor: string,
  now: number,
): NewTimelineEntry {
  const shortId = shortIdOf(l.project, l.issue);
  return {
    kind: 'issue_linked',
    body: `Linked ${shortId}: ${l.issue.title}`,
    data: { issueId: l.issue.id, shortId, project: l.project.slug },
    actor,
    occurredAt: now,
  };
}

const LinkInput = z.object({ issues: z.array(z.string().max(100)).min(1).max(50) }).strict();

/** POST /incidents/{ref}/issues/ — links more issues (any project of the organisation). */
export async function linkIssues(
  ctx: AppContext,
  principal: Principal,
  { org, incident }: IncidentContext,
  body: unknown,
): Promise<Incident> {
  const input = parseInput(LinkInput, body, 'issues');
  const linked = (await resolveIssueRefs(ctx, org, input.issues)).filter(
    (l) => !incident.issueIds.includes(l.issue.id),
  );
  if (linked.length === 0) return incident;
  const now = ctx.clock.now();
  const candidates = [
    incident.firstEventAt,
    firstEventOf(
      await issuesNewToIncidents(
        ctx,
        linked.map((l) => l.issue),
        incident.id,
      ),
      incident.declaredAt,
    ),
  ];
  const known = candidates.filter((t): t is number => t !== null);
  const updated = await ctx.store.incidents.update(incident.id, {
    linkIssues: linked.map((l) => l.issue.id),
    fields: known.length ? { firstEventAt: Math.min(...known) } : {},
    entries: linked.map((l) => linkEntry(l, principal.actor, now)),
    now,
  });
  if (!updated) throw conflict('the incident changed; try again');
  return updated;
}

/** DELETE /incidents/{ref}/issues/{issue}/ */
export async function unlinkIssue(
  ctx: AppContext,
  principal: Principal,
  { org, incident }: IncidentContext,
  issueRef: string,
): Promise<Incident> {
  const [hit] = await resolveIssueRefs(ctx, org, [issueRef]);
  if (!incident.issueIds.includes(hit.issue.id)) throw invalid(`${issueRef} is not linked to this incident`);
  const now = ctx.clock.now();
  const shortId = shortIdOf(hit.project, hit.issue);
  const updated = await ctx.store.incidents.update(incident.id, {
    unlinkIssues: [hit.issue.id],
    entries: [
      {
        kind: 'issue_unlinked',
        body: `Unlinked ${shortId}`,
        data: { issueId: hit.issue.id, shortId },
        actor: principal.actor,
        occurredAt: now,
      },
    ],
    now,
  });
  if (!updated) throw conflict('the incident changed; try again');
  return updated;
}
