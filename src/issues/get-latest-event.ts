import { notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { StoredEvent } from '../store/types.ts';
import { getIssue, type IssueWithProject } from './get-issue.ts';

export async function getLatestEvent(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string },
): Promise<IssueWithProject & { event: StoredEvent }> {
  const found = await getIssue(ctx, principal, input);
  const event = await ctx.store.events.latestForIssue(found.issue.id);
  if (!event) throw notFound('event');
  return { ...found, event };
}
