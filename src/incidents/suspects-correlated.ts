import type { AppContext } from '../context.ts';
import { shortIdOf } from '../issues/short-id.ts';
import type { Issue, Project } from '../store/types.ts';
import { type EventRate, eventRate, type OrgCounts } from './triage-counts.ts';
import type { TriageScope } from './triage-scope.ts';
import { BASELINE_MINUTES, rateJumped, WINDOW_MINUTES } from './triage-windows.ts';

/** Correlated issues listed at most. */
export const MAX_CORRELATED = 10;

export interface CorrelatedIssue {
  issue: Issue;
  project: Project;
  shortId: string;
  events: EventRate;
}

/**
 * Issues of any project of the organisation, not linked to the incident, whose rate rose in the
 * last 15 minutes against the hour before (`rateJumped`: ≥ 5 events in the window, at ≥ 2× the
 * baseline's per-minute rate; a new issue rises from nothing). Most window events first.
 */
export async function findCorrelatedIssues(
  ctx: AppContext,
  scope: TriageScope,
  counts: OrgCounts,
): Promise<CorrelatedIssue[]> {
  const linked = new Set(scope.linked.map((l) => l.issue.id));
  const rising = [...counts.window]
    .filter(
      ([id, w]) =>
        !linked.has(id) && rateJumped(w, WINDOW_MINUTES, counts.baseline.get(id) ?? 0, BASELINE_MINUTES),
    )
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const found: CorrelatedIssue[] = [];
  for (const [id, windowCount] of rising) {
    if (found.length >= MAX_CORRELATED) break;
    const issue = await ctx.store.issues.getById(id);
    const project = issue ? scope.orgProjects.get(issue.projectId) : undefined;
    if (!issue || !project) continue;
    found.push({
      issue,
      project,
      shortId: shortIdOf(project, issue),
      events: eventRate(windowCount, counts.baseline.get(id) ?? 0),
    });
  }
  return found;
}
