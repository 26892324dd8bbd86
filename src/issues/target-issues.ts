import { z } from 'zod';
import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import { selectProjects } from '../events/projects.ts';
import { resolveOrg, resolveProject } from '../orgs/resolve.ts';
import type { Issue, Org, Project } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { buildIssueFilter } from './search.ts';

/** Sentry's cap on issues changed by one bulk request. */
const MAX_BULK = 1000;

const repeated = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().max(200)).max(MAX_BULK),
);
const BulkQuery = z.object({
  id: repeated,
  query: z.string().max(2000).optional(),
  /** sentry-cli's `--status` filter (Sentry's legacy parameter). */
  status: z.enum(['resolved', 'unresolved', 'ignored', 'muted']).optional(),
  project: repeated,
});

/** The issues a bulk request names: `?id=` (ids), else those matching `query` / `status`. */
export interface BulkTarget {
  org: string;
  /** Set on the project endpoint. */
  project?: string;
  query: unknown;
}

export async function resolveBulkTargets(
  ctx: AppContext,
  principal: Principal,
  target: BulkTarget,
  scopes: Scope[],
  options: { requireIds?: boolean } = {},
): Promise<{ org: Org; issues: Issue[] }> {
  requireScope(principal, ...scopes);
  const params = parseInput(BulkQuery, target.query);
  const { org, projects } = await scopeOf(ctx, principal, target, params.project);
  if (params.id.length > 0) {
    if (params.id.some((id) => !/^\d{1,15}$/.test(id)))
      throw invalid('invalid id: must be numeric issue ids');
    const found = await Promise.all(
      [...new Set(params.id)].map((id) => ctx.store.issues.getById(Number(id))),
    );
    const issues = found.filter(
      (issue): issue is Issue => !!issue && projects.some((p) => p.id === issue.projectId),
    );
    return { org, issues };
  }
  if (options.requireIds) throw invalid('name the issues with ?id= (repeatable)');
  const query = [
    params.status ? `is:${params.status}` : '',
    params.query ?? (params.status ? '' : 'is:unresolved'),
  ]
    .join(' ')
    .trim();
  const filter = await buildIssueFilter(ctx, { principal, org, projects, now: ctx.clock.now() }, query);
  const page = await ctx.store.issues.list({
    orgId: org.id,
    projectIds: projects.map((p) => p.id),
    filter,
    sort: 'date',
    limit: MAX_BULK,
  });
  return { org, issues: page.issues };
}

async function scopeOf(
  ctx: AppContext,
  principal: Principal,
  target: BulkTarget,
  projectIds: string[],
): Promise<{ org: Org; projects: Project[] }> {
  if (target.project !== undefined) {
    const { org, project } = await resolveProject(ctx, principal, target.org, target.project);
    return { org, projects: [project] };
  }
  const org = await resolveOrg(ctx, principal, target.org);
  return { org, projects: (await selectProjects(ctx, org, projectIds)).selected };
}
