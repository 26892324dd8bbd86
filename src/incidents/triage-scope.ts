import type { AppContext } from '../context.ts';
import { shortIdOf } from '../issues/short-id.ts';
import type { Issue, Org, Project } from '../store/types.ts';
import type { EventFilter, EventScope } from '../store/types-events.ts';
import type { Incident } from '../store/types-incidents.ts';
import { type Period, type TriagePeriods, triagePeriods } from './triage-windows.ts';
import { incidentEventFilters } from './verify-counts.ts';

export interface LinkedIssue {
  issue: Issue;
  project: Project;
  shortId: string;
}

/** What every part of triage reads from: the incident's issues, the organisation's projects, the periods. */
export interface TriageScope {
  org: Org;
  incident: Incident;
  now: number;
  periods: TriagePeriods;
  linked: LinkedIssue[];
  /** Projects of the linked issues (non-empty when any issue is linked). */
  projectIds: number[];
  /** Every project of the organisation, by id. */
  orgProjects: Map<number, Project>;
  /** The one environment whose events count (triage-environment.ts); null: every environment. */
  environment: string | null;
}

export async function loadTriageScope(
  ctx: AppContext,
  org: Org,
  incident: Incident,
  now: number,
): Promise<TriageScope> {
  const orgProjects = new Map((await ctx.store.projects.listByOrg(org.id)).map((p) => [p.id, p]));
  const linked: LinkedIssue[] = [];
  for (const id of incident.issueIds) {
    const issue = await ctx.store.issues.getById(id);
    const project = issue ? orgProjects.get(issue.projectId) : undefined;
    if (issue && project) linked.push({ issue, project, shortId: shortIdOf(project, issue) });
  }
  return {
    org,
    incident,
    now,
    periods: triagePeriods(now),
    linked,
    projectIds: [...new Set(linked.map((l) => l.project.id))],
    orgProjects,
    environment: null,
  };
}

/** The linked issues' stored events in the period and the scope's environment (Discover's bounds are inclusive). */
export function linkedEvents(
  scope: TriageScope,
  period: Period | null,
  filters: EventFilter[] = [],
): EventScope {
  return {
    orgId: scope.org.id,
    projectIds: scope.projectIds,
    ...(period ? { start: period.start, end: period.end - 1 } : {}),
    filters: [
      ...incidentEventFilters(
        scope.linked.map((l) => l.issue.id),
        scope.environment,
      ),
      ...filters,
    ],
  };
}
