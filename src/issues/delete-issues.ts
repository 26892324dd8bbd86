import type { Principal } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import { getIssue } from './get-issue.ts';
import { type BulkTarget, resolveBulkTargets } from './target-issues.ts';

const DELETE_SCOPES: Scope[] = ['event:admin'];

/** `DELETE /organizations/{org}/issues/{id}/`: the issue and all of its data. */
export async function deleteIssue(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string },
): Promise<void> {
  const { issue } = await getIssue(ctx, principal, input, DELETE_SCOPES);
  await removeIssues(ctx, principal, [issue.id]);
}

/** `DELETE …/issues/?id=…`: ids are required, a query alone never deletes. Returns how many went. */
export async function bulkDeleteIssues(
  ctx: AppContext,
  principal: Principal,
  target: BulkTarget,
): Promise<number> {
  const { issues } = await resolveBulkTargets(ctx, principal, target, DELETE_SCOPES, { requireIds: true });
  return issues.length === 0
    ? 0
    : removeIssues(
        ctx,
        principal,
        issues.map((issue) => issue.id),
      );
}

async function removeIssues(ctx: AppContext, principal: Principal, issueIds: number[]): Promise<number> {
  const deleted = await ctx.store.issues.delete(issueIds);
  // The issue's own activity goes with it, so the deletion is recorded in the log instead.
  ctx.logger.info({ actor: principal.actor, issueIds, deleted }, 'issues deleted');
  return deleted;
}
