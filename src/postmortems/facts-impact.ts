import type { AppContext } from '../context.ts';
import { countedEnvironment } from '../incidents/triage-environment.ts';
import type { LinkedIssue } from '../incidents/triage-scope.ts';
import { incidentEventFilters } from '../incidents/verify-counts.ts';
import type { DiscoverRow, EventColumn, EventScope } from '../store/types-events.ts';
import type { Incident } from '../store/types-incidents.ts';

const MINUTE_MS = 60_000;
export const floorMinute = (t: number): number => t - (((t % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);

export interface ValueCount {
  value: string;
  count: number;
}

/** What the incident cost, over its whole span, from the linked issues' data. */
export interface Impact {
  /** Impact start (the first event, else detection or declaration). */
  start: number;
  /** Resolution, else the moment the post-mortem was generated. */
  end: number;
  ongoing: boolean;
  /** From start to end, to the second. */
  durationSeconds: number;
  /**
   * The environment counted: the latest mitigation's, while its events of the span are all stored
   * (src/incidents/triage-environment.ts); null, every environment. Absent from older documents.
   */
  environment?: string | null;
  /**
   * Events of the linked issues in the span: from the minute counters (retention never prunes
   * them), or the environment's stored events when one is counted.
   */
  events: number;
  /** Distinct users across the stored events of the span (id, else email, username, IP). */
  users: number;
  perIssue: { issueId: number; shortId: string; title: string; project: string; events: number }[];
  releases: ValueCount[];
  environments: ValueCount[];
  projects: string[];
}

const TOP = 20;

/**
 * The span counted is whole minutes, as the counters are: from the start's minute through the
 * end's. `mitigatedIn` is the environment the incident was mitigated in (null: none named).
 */
export async function measureImpact(
  ctx: AppContext,
  incident: Incident,
  linked: LinkedIssue[],
  span: { start: number; end: number; mitigatedIn: string | null },
): Promise<Impact> {
  const { start, end } = span;
  const from = floorMinute(start);
  const to = floorMinute(end) + MINUTE_MS;
  const projectIds = [...new Set(linked.map((l) => l.project.id))];
  const { environment, countIn } = await countedEnvironment(
    ctx,
    { orgId: incident.orgId, projectIds, issueIds: linked.map((l) => l.issue.id) },
    { name: span.mitigatedIn, source: span.mitigatedIn === null ? null : 'mitigation' },
    { start: from, end: to },
  );
  const counts = linked.length === 0 ? new Map<number, number>() : await countIn({ start: from, end: to });
  const perIssue = linked.map(({ issue, project, shortId }) => ({
    issueId: issue.id,
    shortId,
    title: issue.title,
    project: project.slug,
    events: counts.get(issue.id) ?? 0,
  }));
  const scope: EventScope = {
    orgId: incident.orgId,
    projectIds,
    start: from,
    end: to - 1,
    filters: incidentEventFilters(
      linked.map((l) => l.issue.id),
      environment.name,
    ),
  };
  const [users, releases, environments] =
    linked.length === 0
      ? [0, [], []]
      : await Promise.all([
          distinctUsers(ctx, scope),
          topValues(ctx, scope, 'release'),
          topValues(ctx, scope, 'environment'),
        ]);
  return {
    start,
    end,
    ongoing: incident.resolvedAt === null,
    durationSeconds: Math.max(0, Math.round((end - start) / 1000)),
    environment: environment.name,
    events: perIssue.reduce((sum, i) => sum + i.events, 0),
    users,
    perIssue,
    releases,
    environments,
    projects: [...new Set(linked.map((l) => l.project.slug))],
  };
}

const num = (value: DiscoverRow[number] | undefined): number => Number(value ?? 0);

/** Distinct users (id, else email, username, IP) across the stored events in scope. */
export async function distinctUsers(ctx: AppContext, scope: EventScope): Promise<number> {
  const { rows } = await ctx.store.events.discover({
    ...scope,
    select: [{ aggregate: { fn: 'count_unique', attr: { column: 'user' } } }],
    having: [],
    orderBy: [],
    limit: 1,
    offset: 0,
  });
  return num(rows[0]?.[0]);
}

/** Values of a column across the span's events, most events first (events without one are left out). */
async function topValues(ctx: AppContext, scope: EventScope, column: EventColumn): Promise<ValueCount[]> {
  const { rows } = await ctx.store.events.discover({
    ...scope,
    select: [{ attr: { column } }, { aggregate: { fn: 'count' } }],
    having: [],
    orderBy: [{ index: 1, desc: true }],
    limit: TOP,
    offset: 0,
  });
  return rows.flatMap(([value, count]) =>
    typeof value === 'string' && value !== '' ? [{ value, count: num(count) }] : [],
  );
}
