import { conflict, invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Issue, Org } from '../store/types.ts';
import type { IssueChange } from '../store/types-issues.ts';
import { parseInput } from '../validation.ts';
import { type AssigneeChange, resolveAssignedTo } from './assignee.ts';
import { getIssue, WRITE_SCOPES } from './get-issue.ts';
import { type IssueView, loadIssueViews } from './issue-views.ts';
import { UpdateIssueInput } from './schemas.ts';
import { issueStats, STATS_24H } from './stats.ts';
import { planStatusTargets, type StatusIntent, type StatusTarget, statusIntentOf } from './status-change.ts';
import { type BulkTarget, resolveBulkTargets } from './target-issues.ts';

/** What a bulk update answers (Sentry echoes the applied changes, not the issues). */
export interface BulkUpdateResult {
  status?: string;
  substatus?: string | null;
  statusDetails?: StatusTarget['details'];
  assignedTo?: IssueView['assignedTo'];
  hasSeen?: boolean;
  isBookmarked?: boolean;
  isSubscribed?: boolean;
}

/** `PUT /organizations/{org}/issues/{id}/`: answers the whole issue, as the MCP server expects. */
export async function updateIssue(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string; body: unknown },
): Promise<{ org: Org; view: IssueView }> {
  const { org, project, issue } = await getIssue(ctx, principal, input, WRITE_SCOPES);
  const body = parseBody(input.body);
  const plan = await planOf(ctx, org, body);
  const changes = await changesFor(ctx, principal, org, [issue], plan);
  const updated = changes.length > 0 ? await ctx.store.issues.update(changes) : [issue];
  if (updated.length === 0) throw conflict('the issue changed while it was being updated; retry');
  const [view] = await loadIssueViews(ctx, updated, () => project);
  view.stats['24h'] =
    (await issueStats(ctx.store, [issue.id], STATS_24H, ctx.clock.now())).get(issue.id) ?? [];
  return { org, view };
}

/**
 * `PUT /projects/{org}/{project}/issues/?id=…` (sentry-cli) and `/organizations/{org}/issues/?id=…`.
 * Null when no issue matched (Sentry answers 204).
 */
export async function bulkUpdateIssues(
  ctx: AppContext,
  principal: Principal,
  input: BulkTarget & { body: unknown },
): Promise<BulkUpdateResult | null> {
  const { org, issues } = await resolveBulkTargets(ctx, principal, input, WRITE_SCOPES);
  const body = parseBody(input.body);
  const plan = await planOf(ctx, org, body);
  if (issues.length === 0) return null;
  const changes = await changesFor(ctx, principal, org, issues, plan);
  if (changes.length > 0) await ctx.store.issues.update(changes);
  const first = changes.find((c) => c.status)?.status;
  return {
    ...(plan.status && first
      ? { status: first.status, substatus: first.substatus, statusDetails: first.details }
      : {}),
    ...(plan.assignee ? { assignedTo: plan.assignee.display } : {}),
    ...(body.hasSeen !== undefined ? { hasSeen: body.hasSeen } : {}),
    ...(body.isBookmarked !== undefined ? { isBookmarked: body.isBookmarked } : {}),
    ...(body.isSubscribed !== undefined ? { isSubscribed: body.isSubscribed } : {}),
  };
}

interface UpdatePlan {
  status: StatusIntent | null;
  assignee: AssigneeChange | null;
}

function parseBody(body: unknown): UpdateIssueInput {
  const parsed = parseInput(UpdateIssueInput, body);
  if (parsed.merge !== undefined) throw invalid('merging issues is not supported');
  if (parsed.discard !== undefined) throw invalid('discarding issues is not supported');
  return parsed;
}

async function planOf(ctx: AppContext, org: Org, body: UpdateIssueInput): Promise<UpdatePlan> {
  return {
    status: statusIntentOf(body),
    assignee: body.assignedTo === undefined ? null : await resolveAssignedTo(ctx, org, body.assignedTo),
  };
}

/**
 * One conditional change per issue that actually changes: re-resolving a resolved issue or
 * re-assigning its assignee writes nothing (and no activity).
 */
async function changesFor(
  ctx: AppContext,
  principal: Principal,
  org: Org,
  issues: Issue[],
  plan: UpdatePlan,
): Promise<IssueChange[]> {
  const now = ctx.clock.now();
  const workflows = await ctx.store.issues.workflow(issues.map((i) => i.id));
  const targets = plan.status ? await planStatusTargets(ctx, plan.status, issues, org.id, now) : null;
  const changes: IssueChange[] = [];
  for (const issue of issues) {
    const workflow = workflows.get(issue.id);
    const change: IssueChange = { issueId: issue.id, from: [issue.status], activities: [] };
    const target = targets?.get(issue.id);
    if (target) {
      const unchanged = target.status === issue.status && !target.details && !workflow?.statusDetails;
      if (!unchanged) {
        const { activity, ...status } = target;
        change.status = status;
        change.activities.push({ ...activity, actor: principal.actor, createdAt: now });
      }
    }
    if (plan.assignee) {
      const current = workflow?.assignee;
      const { assignee, activity } = plan.assignee;
      if (current?.userId !== assignee.userId || current?.teamId !== assignee.teamId) {
        change.assignee = assignee;
        change.activities.push({ ...activity, actor: principal.actor, createdAt: now });
      }
    }
    if (change.status || change.assignee) changes.push(change);
  }
  return changes;
}
