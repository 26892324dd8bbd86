import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { selectProjects } from '../events/projects.ts';
import { parseTimeRange } from '../events/time-range.ts';
import { isFirstPageCursor } from '../offset-cursor.ts';
import { resolveOrg, resolveProject } from '../orgs/resolve.ts';
import type { Org, Project } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { findIssueInOrg, parseIssueRef } from './get-issue.ts';
import { type IssueView, loadIssueViews } from './issue-views.ts';
import { ListIssuesInput } from './schemas.ts';
import { buildIssueFilter } from './search.ts';
import { issueStats, parseStatsPeriod, type StatsSpec } from './stats.ts';

export interface IssueListResult {
  org: Org;
  views: IssueView[];
  nextCursor: string | null;
  /** The query was a short id and `shortIdLookup` found that issue (Sentry's X-Sentry-Direct-Hit). */
  directHit: boolean;
}

const DEFAULT_PAGE_SIZE = 100;

/** The organisation list's default range when neither statsPeriod nor start/end is given (Sentry's). */
const DEFAULT_RANGE = '14d';

interface SeenRange {
  start: number;
  end: number;
  /** `end` was asked for; otherwise it is now and issues still being seen count. */
  explicitEnd: boolean;
}

/** `GET /projects/{org}/{project}/issues/`: `statsPeriod` picks the stats series. */
export async function listProjectIssues(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; query: unknown },
): Promise<IssueListResult> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const params = parseInput(ListIssuesInput, input.query);
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  return listIssues(ctx, principal, org, [project], params, parseStatsPeriod(params.statsPeriod), null);
}

/**
 * `GET /organizations/{org}/issues/`: `project` (ids or slugs; -1 or none = all) picks the projects,
 * `statsPeriod` or `start`/`end` the range the issues were seen in, `groupStatsPeriod` the series.
 */
export async function listOrgIssues(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; query: unknown },
): Promise<IssueListResult> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const params = parseInput(ListIssuesInput, input.query);
  const org = await resolveOrg(ctx, principal, input.org);
  const { selected: projects } = await selectProjects(ctx, org, params.project);
  const range = seenRange(params, ctx.clock.now());
  const stats = parseStatsPeriod(params.groupStatsPeriod, range);
  return listIssues(ctx, principal, org, projects, params, stats, range);
}

async function listIssues(
  ctx: AppContext,
  principal: Principal,
  org: Org,
  projects: Project[],
  params: ListIssuesInput,
  stats: StatsSpec | null,
  range: SeenRange | null,
): Promise<IssueListResult> {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const query = params.query?.trim() ?? '';
  const ref = parseIssueRef(query);
  if (params.shortIdLookup && /^(1|true)$/.test(params.shortIdLookup) && ref && 'slug' in ref) {
    const hit = await findIssueInOrg(ctx, org, query);
    if (hit && byId.has(hit.project.id)) {
      const views = await loadIssueViews(ctx, [hit.issue], () => hit.project);
      return { org, views: await withStats(ctx, views, stats), nextCursor: null, directHit: true };
    }
  }
  const filter = await buildIssueFilter(
    ctx,
    { principal, org, projects, now: ctx.clock.now() },
    params.query,
  );
  if (params.environment.length > 0)
    filter.conditions.push({ field: 'tag', key: 'environment', values: params.environment });
  if (range) {
    filter.conditions.push({ field: 'lastSeen', op: '>=', value: range.start });
    if (range.explicitEnd) {
      // Seen before and after the window is not seen in it: ask the events and the buckets.
      filter.conditions.push({ field: 'firstSeen', op: '<', value: range.end });
      filter.conditions.push({ field: 'seenBetween', start: range.start, end: range.end });
    }
  }
  const page = await ctx.store.issues.list({
    orgId: org.id,
    projectIds: projects.map((p) => p.id),
    filter,
    sort: params.sort,
    // Sentry's search answers 100 when no limit is sent, and sentry-cli counts on it: its five
    // default pages are "500 issues", so 25 a page listed 125 and stopped without a word.
    limit: params.limit ?? params.per_page ?? DEFAULT_PAGE_SIZE,
    cursor: params.cursor && !isFirstPageCursor(params.cursor) ? params.cursor : undefined,
  });
  const views = await loadIssueViews(ctx, page.issues, (issue) => byId.get(issue.projectId)!);
  return { org, views: await withStats(ctx, views, stats), nextCursor: page.nextCursor, directHit: false };
}

async function withStats(ctx: AppContext, views: IssueView[], spec: StatsSpec | null): Promise<IssueView[]> {
  if (!spec) return views;
  const series = await issueStats(
    ctx.store,
    views.map((v) => v.issue.id),
    spec,
    ctx.clock.now(),
  );
  for (const view of views) view.stats[spec.key] = series.get(view.issue.id) ?? [];
  return views;
}

function seenRange(params: ListIssuesInput, now: number): SeenRange {
  const { start, end } = parseTimeRange(params, now, DEFAULT_RANGE);
  return { start: start ?? now, end: end ?? now, explicitEnd: end !== undefined };
}
