import type { AppContext } from '../context.ts';
import { formatIncidentRef } from '../incidents/access.ts';
import { hasEnded, type Incident, type NewTimelineEntry } from '../store/types-incidents.ts';
import type { SharedIssueMatch } from '../store/types-runbooks.ts';
import { fixSummary, pastFixOf } from './past-fix.ts';
import type { MemoryScope } from './signature.ts';

/** Earlier incidents linked at most: the latest few say what is needed. */
const MAX_LINKED = 5;

async function shortIdOfIssue(ctx: AppContext, scope: MemoryScope, issueId: number): Promise<string> {
  const issue = await ctx.store.issues.getById(issueId);
  const project = issue ? scope.projects.get(issue.projectId) : undefined;
  return issue && project ? `${project.slug.toUpperCase()}-${issue.shortIdNumber}` : `issue ${issueId}`;
}

/** `same issue WEB-12`, or `API-3 groups like WEB-12` when only a grouping hash is shared. */
async function matchText(ctx: AppContext, scope: MemoryScope, matches: SharedIssueMatch[]): Promise<string> {
  const parts: string[] = [];
  for (const m of matches) {
    const mine = await shortIdOfIssue(ctx, scope, m.issueId);
    parts.push(
      m.via === 'issue'
        ? `same issue ${mine}`
        : `${mine} groups like ${await shortIdOfIssue(ctx, scope, m.pastIssueId)}`,
    );
  }
  return [...new Set(parts)].join(', ');
}

/**
 * A declaration on an issue that had an incident before links the two and says so on both
 * timelines: the new incident names the earlier one with its root cause and fix (`recurrence`
 * when it was resolved, `related_incident` while it is still open), the earlier one names the
 * new one. Each entry and link is written once (dedupe keys, link primary key).
 */
export async function linkEarlierIncidents(
  ctx: AppContext,
  scope: MemoryScope,
  incident: Incident,
): Promise<Incident[]> {
  const matches = await ctx.store.incidentMemory.sharingIssues({
    orgId: incident.orgId,
    issueIds: incident.issueIds,
    excludeIncidentId: incident.id,
  });
  const byIncident = new Map<number, SharedIssueMatch[]>();
  for (const m of matches) byIncident.set(m.incidentId, [...(byIncident.get(m.incidentId) ?? []), m]);
  const earlier: Incident[] = [];
  for (const id of byIncident.keys()) {
    const past = await ctx.store.incidents.getById(id);
    if (past && past.number < incident.number) earlier.push(past);
  }
  earlier.sort((a, b) => b.number - a.number);
  const linked = earlier.slice(0, MAX_LINKED);
  const now = ctx.clock.now();
  const ref = formatIncidentRef(incident);
  for (const past of linked) {
    const pastRef = formatIncidentRef(past);
    const pastMatches = byIncident.get(past.id) ?? [];
    const why = await matchText(ctx, scope, pastMatches);
    const fix = fixSummary(await pastFixOf(ctx, past));
    const resolved = hasEnded(past.status);
    const relation = resolved ? 'recurrence' : 'related';
    const data = {
      incidentId: past.id,
      ref: pastRef,
      relation,
      via: pastMatches.some((m) => m.via === 'issue') ? 'issue' : 'hash',
      issueIds: [...new Set(pastMatches.map((m) => m.issueId))],
      rootCause: past.rootCause,
      fix,
    };
    await ctx.store.incidentMemory.link({
      incidentId: incident.id,
      relatedId: past.id,
      relation,
      data,
      createdAt: now,
    });
    const body = resolved
      ? `Recurrence of ${pastRef} (${why}). Root cause then: ${past.rootCause ?? 'not recorded'}. Fixed then by: ${fix ?? 'no mitigation recorded'}.`
      : `Related to ${pastRef}, still open (${why}).`;
    const entry: NewTimelineEntry = {
      kind: resolved ? 'recurrence' : 'related_incident',
      body: body.slice(0, 5000),
      data,
      actor: 'system',
      occurredAt: now,
      dedupeKey: `related:${past.id}`,
    };
    await ctx.store.timeline.add(incident.id, [entry], now);
    await ctx.store.timeline.add(
      past.id,
      [
        {
          kind: 'related_incident',
          body: `${resolved ? 'Recurred' : 'Declared again'} as ${ref} (${why}).`.slice(0, 5000),
          data: { incidentId: incident.id, ref, relation },
          actor: 'system',
          occurredAt: now,
          dedupeKey: `related:${incident.id}`,
        },
      ],
      now,
    );
  }
  return linked;
}
