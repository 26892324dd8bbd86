import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Issue, IssueActivity, User } from '../store/types.ts';
import { getIssue } from './get-issue.ts';

export interface ActivityView {
  activity: IssueActivity;
  /** The user behind a `user:ID` actor; null for tokens and the system. */
  user: User | null;
}

/** `GET …/issues/{id}/activities/`: newest first, ending with Sentry's synthetic `first_seen`. */
export async function listIssueActivity(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string },
): Promise<ActivityView[]> {
  const { issue } = await getIssue(ctx, principal, input);
  return activityOf(ctx, issue);
}

export async function activityOf(ctx: AppContext, issue: Issue): Promise<ActivityView[]> {
  const activities = (await ctx.store.issues.activities(issue.id)).reverse();
  activities.push({
    id: 0,
    issueId: issue.id,
    type: 'first_seen',
    data: {},
    actor: 'system',
    createdAt: issue.firstSeen,
  });
  return withUsers(ctx, activities);
}

export async function withUsers(ctx: AppContext, activities: IssueActivity[]): Promise<ActivityView[]> {
  const users = new Map<number, User | null>();
  for (const activity of activities) {
    const id = /^user:(\d+)$/.exec(activity.actor)?.[1];
    if (id && !users.has(Number(id))) users.set(Number(id), await ctx.store.users.getById(Number(id)));
  }
  return activities.map((activity) => {
    const id = /^user:(\d+)$/.exec(activity.actor)?.[1];
    return { activity, user: id ? (users.get(Number(id)) ?? null) : null };
  });
}
