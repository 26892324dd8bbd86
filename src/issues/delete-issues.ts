import { auditEntry } from '../audit/audit-entry.ts';
import type { Principal } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import type { Issue, Org, Project } from '../store/types.ts';
import { getIssue } from './get-issue.ts';
import { shortIdOf } from './short-id.ts';
import { type BulkTarget, resolveBulkTargets } from './target-issues.ts';

const DELETE_SCOPES: Scope[] = ['event:admin'];

/** `DELETE /organizations/{org}/issues/{id}/`: the issue and all of its data. */
export async function deleteIssue(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string },
): Promise<void> {
  const { org, issue } = await getIssue(ctx, principal, input, DELETE_SCOPES);
  await removeIssues(ctx, principal, org, [issue]);
}

/** `DELETE …/issues/?id=…`: ids are required, a query alone never deletes. Returns how many went. */
export async function bulkDeleteIssues(
  ctx: AppContext,
  principal: Principal,
  target: BulkTarget,
): Promise<number> {
  const { org, issues } = await resolveBulkTargets(ctx, principal, target, DELETE_SCOPES, {
    requireIds: true,
  });
  return issues.length === 0 ? 0 : removeIssues(ctx, principal, org, issues);
}

async function removeIssues(
  ctx: AppContext,
  principal: Principal,
  org: Org,
  issues: Issue[],
): Promise<number> {
  const now = ctx.clock.now();
  const projects = new Map<number, Project | null>();
  for (const issue of issues) {
    if (!projects.has(issue.projectId))
      projects.set(issue.projectId, await ctx.store.projects.getById(issue.projectId));
  }
  // The issue's own activity goes with it, so the deletion is recorded in the organisation's log.
  const audit = issues.map((issue) => {
    const project = projects.get(issue.projectId);
    return auditEntry(
      { orgId: org.id, actor: principal.actor, now },
      'issue.delete',
      { type: 'issue', id: issue.id },
      {
        short_id: project ? shortIdOf(project, issue) : null,
        title: issue.title,
        project: project?.slug ?? null,
      },
    );
  });
  return ctx.store.issues.delete(
    issues.map((issue) => issue.id),
    audit,
  );
}
