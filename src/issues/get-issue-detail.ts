import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import type { TagKeySummary } from '../store/types-issues.ts';
import { getIssue } from './get-issue.ts';
import { type ActivityView, activityOf } from './issue-activity.ts';
import { type IssueView, loadIssueViews } from './issue-views.ts';
import { issueStats, STATS_24H, STATS_30D } from './stats.ts';

export interface IssueDetail {
  org: Org;
  view: IssueView;
  activity: ActivityView[];
  tags: TagKeySummary[];
}

/** The issue page: the issue with its 24h and 30d series, activity and tag keys (Sentry's group details). */
export async function getIssueDetail(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string },
): Promise<IssueDetail> {
  const { org, project, issue } = await getIssue(ctx, principal, input);
  const [view] = await loadIssueViews(ctx, [issue], () => project);
  const now = ctx.clock.now();
  for (const spec of [STATS_24H, STATS_30D])
    view.stats[spec.key] = (await issueStats(ctx.store, [issue.id], spec, now)).get(issue.id) ?? [];
  const activity = await activityOf(ctx, issue);
  const tags = await ctx.store.issues.tagSummary(issue.id, { top: 1 });
  return { org, view, activity, tags };
}
