import type { AppContext } from '../context.ts';
import { hasEnded, INCIDENT_STATUSES, type Incident } from '../store/types-incidents.ts';
import type { Runbook, RunbookTag } from '../store/types-runbooks.ts';
import type { IssueRate } from './issues.ts';
import type { DiagnosticsScope } from './scope.ts';

/** Open incidents looked at; an organisation with more open at once has other problems. */
const MAX_OPEN = 200;
const MAX_TAG_VALUES = 50;

/** Unresolved incidents of the organisation with an issue of the project linked, or naming it in services. */
export async function openIncidentsOf(ctx: AppContext, scope: DiagnosticsScope): Promise<Incident[]> {
  const open = await ctx.store.incidents.list({
    orgId: scope.org.id,
    statuses: INCIDENT_STATUSES.filter((s) => !hasEnded(s)),
    limit: MAX_OPEN,
    offset: 0,
  });
  const involved: Incident[] = [];
  for (const incident of open) {
    if (incident.services.includes(scope.project.slug)) {
      involved.push(incident);
      continue;
    }
    for (const issueId of incident.issueIds) {
      if ((await ctx.store.issues.getById(issueId))?.projectId === scope.project.id) {
        involved.push(incident);
        break;
      }
    }
  }
  return involved;
}

/** Runbooks attached to the project, or to a tag value the window's top issues carry. */
export async function runbooksFor(
  ctx: AppContext,
  scope: DiagnosticsScope,
  issues: IssueRate[],
): Promise<Runbook[]> {
  const keys = await ctx.store.runbooks.tagKeys(scope.org.id);
  const tags: RunbookTag[] = [];
  for (const rate of issues) {
    for (const key of keys) {
      const values = (await ctx.store.issues.tagValues(rate.issue.id, key)).slice(0, MAX_TAG_VALUES);
      for (const { value } of values) {
        if (!tags.some((t) => t.key === key && t.value === value)) tags.push({ key, value });
      }
    }
  }
  return ctx.store.runbooks.matching({ orgId: scope.org.id, projectIds: [scope.project.id], tags });
}
