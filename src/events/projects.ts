import { forbidden } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import { findIssueInOrg } from '../issues/get-issue.ts';
import type { Org, Project } from '../store/types.ts';
import { clip } from '../validation.ts';

/**
 * Sentry's `project` parameter: ids (slugs accepted too); absent or `-1` = every project of
 * the organisation. A project outside it is refused like one the caller may not see (403).
 */
export async function selectProjects(
  ctx: AppContext,
  org: Org,
  params: string[],
): Promise<{ all: Project[]; selected: Project[] }> {
  const all = await ctx.store.projects.listByOrg(org.id);
  if (params.length === 0 || params.includes('-1')) return { all, selected: all };
  const selected = params.map(
    (param) =>
      all.find((p) => String(p.id) === param || p.slug === param) ??
      (() => {
        throw forbidden(`You do not have permission to access project "${clip(param)}"`);
      })(),
  );
  return { all, selected: [...new Set(selected)] };
}

/** For parseEventQuery: an issue id or short id of one of these projects, else null. */
export function issueResolver(ctx: AppContext, org: Org, projects: Project[]) {
  return async (value: string): Promise<number | null> => {
    const found = await findIssueInOrg(ctx, org, value);
    return found && projects.some((p) => p.id === found.project.id) ? found.issue.id : null;
  };
}
