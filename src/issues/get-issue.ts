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

/** `123` (an issue id) or `WEB-12` (a short id: the project slug, any case, and a number). */
export type IssueRef = { id: number } | { slug: string; number: number };

export function parseIssueRef(value: string): IssueRef | null {
  if (/^\d{1,15}$/.test(value)) return { id: Number(value) };
  const short = /^(.+)-(\d{1,12})$/.exec(value);
  return short ? { slug: short[1].toLowerCase(), number: Number(short[2]) } : null;
}

/** By numeric id or short id; null when malformed, missing or in another organisation. */
export async function findIssueInOrg(
  ctx: AppContext,
  org: Org,
  idOrShortId: string,
): Promise<{ issue: Issue; project: Project } | null> {
  const ref = parseIssueRef(idOrShortId);
  let issue: Issue | null = null;
  if (ref && 'id' in ref) issue = await ctx.store.issues.getById(ref.id);
  else if (ref) {
    const project = await ctx.store.projects.getBySlug(org.id, ref.slug);
    issue = project ? await ctx.store.issues.getByShortId(project.id, ref.number) : null;
  }
  if (!issue) return null;
  const project = await ctx.store.projects.getById(issue.projectId);
  return project?.orgId === org.id ? { issue, project } : null;
}
