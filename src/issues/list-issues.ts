import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg, resolveProject } from '../orgs/resolve.ts';
import type { Org, Project } from '../store/types.ts';
import { findIssueInOrg } from './get-issue.ts';
import { type IssueView, loadIssueViews } from './issue-views.ts';
import { firstIssue, ListIssuesInput } from './schemas.ts';
import { buildIssueFilter } from './search.ts';
import { issueStats, parseStatsPeriod, type StatsSpec } from './stats.ts';

export interface IssueListResult {
  org: Org;
  views: IssueView[];
  nextCursor: string | null;
  /** The query was a short id and `shortIdLookup` found that issue (Sentry's X-Sentry-Direct-Hit). */
  directHit: boolean;
}

const UNIT_MS: Record<string, number> = { s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };
/** The organisation list's default range when neither statsPeriod nor start/end is given (Sentry's). */
const DEFAULT_RANGE = '14d';
const SHORT_ID = /^[A-Za-z0-9_.-]+-\d{1,12}$/;

/** `GET /projects/{org}/{project}/issues/`: `statsPeriod` picks the stats series. */
export async function listProjectIssues(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; query: unknown },
): Promise<IssueListResult> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const params = parseInput(input.query);
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  return listIssues(ctx, principal, org, [project], params, parseStatsPeriod(params.statsPeriod), null);
}

/**
 * `GET /organizations/{org}/issues/`: `project` (ids; -1 or none = all) picks the projects,
 * `statsPeriod` or `start`/`end` the range the issues were seen in, `groupStatsPeriod` the series.
 */
export async function listOrgIssues(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; query: unknown },
): Promise<IssueListResult> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const params = parseInput(input.query);
  const org = await resolveOrg(ctx, principal, input.org);
  const projects = selectProjects(await ctx.store.projects.listByOrg(org.id), params.project);
  const range = dateRange(params, ctx.clock.now());
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
  range: { start: number; end: number; explicitEnd: boolean } | null,
): Promise<IssueListResult> {
  const byId = new Map(projects.map((p) => [p.id, p]));
  const query = params.query?.trim();
  if (params.shortIdLookup && /^(1|true)$/.test(params.shortIdLookup) && query && SHORT_ID.test(query)) {
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
    if (range.explicitEnd) filter.conditions.push({ field: 'firstSeen', op: '<', value: range.end });
  }
  const page = await ctx.store.issues.list({
    orgId: org.id,
    projectIds: projects.map((p) => p.id),
    filter,
    sort: params.sort,
    limit: params.limit ?? params.per_page ?? 25,
    cursor: params.cursor || undefined,
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

function parseInput(query: unknown): ListIssuesInput {
  const parsed = ListIssuesInput.safeParse(query ?? {});
  if (!parsed.success) throw invalid(firstIssue(parsed.error));
  return parsed.data;
}

function selectProjects(all: Project[], wanted: string[]): Project[] {
  if (wanted.length === 0 || wanted.includes('-1')) return all;
  return wanted.map((id) => {
    const project = all.find((p) => String(p.id) === id);
    if (!project)
      throw invalid(`invalid project "${id.slice(0, 20)}": not a project id of this organization`);
    return project;
  });
}

function dateRange(
  params: ListIssuesInput,
  now: number,
): { start: number; end: number; explicitEnd: boolean } {
  if (params.start || params.end) {
    const start = Date.parse(params.start ?? '');
    const end = Date.parse(params.end ?? '');
    if (Number.isNaN(start) || Number.isNaN(end) || start >= end)
      throw invalid('invalid start/end: give both as ISO dates, start before end');
    return { start, end, explicitEnd: true };
  }
  const period = params.statsPeriod || DEFAULT_RANGE;
  const match = /^(\d{1,5})([smhdw])$/.exec(period);
  if (!match) throw invalid(`invalid statsPeriod "${period.slice(0, 20)}": use e.g. 24h, 14d or 90d`);
  return { start: now - Number(match[1]) * UNIT_MS[match[2]], end: now, explicitEnd: false };
}
