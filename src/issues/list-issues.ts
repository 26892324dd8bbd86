import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { Issue, Org, Project } from '../store/types.ts';
import { parseIssueQuery } from './query.ts';
import { ListIssuesInput } from './schemas.ts';
import { issueStats, parseStatsPeriod } from './stats.ts';

export interface IssueListResult {
  org: Org;
  project: Project;
  issues: Issue[];
  stats: Map<number, [number, number][]>;
  statsPeriod: string;
  nextCursor: string | null;
}

export async function listProjectIssues(
  ctx: AppContext,
  principal: Principal,
  input: unknown,
): Promise<IssueListResult> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const parsed = ListIssuesInput.safeParse(input);
  if (!parsed.success)
    throw invalid(`invalid ${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message}`);
  const { org, project } = await resolveProject(ctx, principal, parsed.data.org, parsed.data.project);
  const filter = parseIssueQuery(parsed.data.query);
  const statsPeriod = parseStatsPeriod(parsed.data.statsPeriod);
  const page = await ctx.store.issues.list({
    orgId: org.id,
    projectIds: [project.id],
    statuses: filter.statuses,
    sort: parsed.data.sort,
    limit: parsed.data.limit,
    cursor: parsed.data.cursor,
  });
  const stats = await issueStats(
    ctx.store,
    page.issues.map((i) => i.id),
    statsPeriod,
    ctx.clock.now(),
  );
  return { org, project, issues: page.issues, stats, statsPeriod, nextCursor: page.nextCursor };
}
