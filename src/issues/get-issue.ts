import { notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Issue, Org, Project } from '../store/types.ts';

export interface IssueWithProject {
  org: Org;
  project: Project;
  issue: Issue;
}

/** An issue by numeric id or short id (`WEB-12`), only within the caller's organisation. */
export async function getIssue(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string },
): Promise<IssueWithProject> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const org = await resolveOrg(ctx, principal, input.org);
  const issue = await findIssue(ctx, org, input.issueId);
  const project = issue ? await ctx.store.projects.getById(issue.projectId) : null;
  if (!issue || !project || project.orgId !== org.id) throw notFound('issue');
  return { org, project, issue };
}

async function findIssue(ctx: AppContext, org: Org, idOrShortId: string): Promise<Issue | null> {
  if (/^\d{1,15}$/.test(idOrShortId)) return ctx.store.issues.getById(Number(idOrShortId));
  const match = /^(.+)-(\d{1,12})$/.exec(idOrShortId);
  if (!match) return null;
  const project = await ctx.store.projects.getBySlug(org.id, match[1].toLowerCase());
  return project ? ctx.store.issues.getByShortId(project.id, Number(match[2])) : null;
}
