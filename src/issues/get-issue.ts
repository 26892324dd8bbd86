import { notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Issue, Org, Project } from '../store/types.ts';

export interface IssueWithProject {
  org: Org;
  project: Project;
  issue: Issue;
}

export const READ_SCOPES: Scope[] = ['event:read', 'event:write', 'event:admin'];
export const WRITE_SCOPES: Scope[] = ['event:write', 'event:admin'];

/**
 * An issue by numeric id or short id (`WEB-12`), only within the caller's organisation. Callers
 * that change the issue pass the scopes that needs.
 */
export async function getIssue(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string },
  scopes: Scope[] = READ_SCOPES,
): Promise<IssueWithProject> {
  requireScope(principal, ...scopes);
  const org = await resolveOrg(ctx, principal, input.org);
  const found = await findIssueInOrg(ctx, org, input.issueId);
  if (!found) throw notFound('issue');
  return { org, ...found };
}

/** By numeric id or short id; null when missing or in another organisation. */
export async function findIssueInOrg(
  ctx: AppContext,
  org: Org,
  idOrShortId: string,
): Promise<{ issue: Issue; project: Project } | null> {
  let issue: Issue | null = null;
  if (/^\d{1,15}$/.test(idOrShortId)) issue = await ctx.store.issues.getById(Number(idOrShortId));
  else {
    const match = /^(.+)-(\d{1,12})$/.exec(idOrShortId);
    const project = match ? await ctx.store.projects.getBySlug(org.id, match[1].toLowerCase()) : null;
    issue = project ? await ctx.store.issues.getByShortId(project.id, Number(match![2])) : null;
  }
  if (!issue) return null;
  const project = await ctx.store.projects.getById(issue.projectId);
  return project?.orgId === org.id ? { issue, project } : null;
}
