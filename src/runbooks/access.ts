import { invalid, notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org, Project } from '../store/types.ts';
import type { Runbook } from '../store/types-runbooks.ts';
import { clip } from '../validation.ts';

/** Runbook ids in URLs are the numeric ids the API returns. */
export function parseRunbookId(text: string): number {
  if (!/^\d{1,15}$/.test(text)) throw notFound('runbook');
  return Number(text);
}

/** The runbook named in a URL, in the caller's organisation; another org's runbook is 404. */
export async function loadRunbook(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; id: string },
  scopes: Scope[],
): Promise<{ org: Org; runbook: Runbook }> {
  requireScope(principal, ...scopes);
  const org = await resolveOrg(ctx, principal, input.org);
  const runbook = await ctx.store.runbooks.get(org.id, parseRunbookId(input.id));
  if (!runbook) throw notFound('runbook');
  return { org, runbook };
}

/** Project slugs (or ids) of the organisation; an unknown one is a 400 naming it. */
export async function resolveProjectRefs(ctx: AppContext, org: Org, refs: string[]): Promise<Project[]> {
  const found = new Map<number, Project>();
  for (const ref of refs) {
    const project = /^\d{1,15}$/.test(ref)
      ? await ctx.store.projects.getById(Number(ref))
      : await ctx.store.projects.getBySlug(org.id, ref);
    if (!project || project.orgId !== org.id) throw invalid(`unknown project ${clip(ref)}`);
    found.set(project.id, project);
  }
  return [...found.values()];
}
