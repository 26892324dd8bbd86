import { forbidden } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { Org, Project } from '../store/types.ts';
import { clip } from './attributes.ts';

/**
 * Sentry's `project` parameter: ids (slugs accepted too); absent or `-1` = every project of
 * the organisation. A project outside it is refused like one the caller may not see.
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

/** The search context helpers a verb hands to parseEventQuery. */
export function issueResolver(ctx: AppContext, projects: Project[]) {
  return async (value: string): Promise<number | null> => {
    if (/^\d{1,15}$/.test(value)) {
      const issue = await ctx.store.issues.getById(Number(value));
      return issue && projects.some((p) => p.id === issue.projectId) ? issue.id : null;
    }
    const match = /^(.+)-(\d{1,12})$/.exec(value);
    const project = match && projects.find((p) => p.slug === match[1].toLowerCase());
    if (!match || !project) return null;
    return (await ctx.store.issues.getByShortId(project.id, Number(match[2])))?.id ?? null;
  };
}

/** The most recently first-seen release among the projects (Sentry's `release:latest`). */
export function latestRelease(ctx: AppContext, projects: Project[]) {
  return async (): Promise<string | null> => {
    let latest: { version: string; firstSeen: number } | null = null;
    for (const project of projects) {
      const [newest] = await ctx.store.releases.listByProject(project.id);
      if (newest && (!latest || newest.firstSeen > latest.firstSeen)) latest = newest;
    }
    return latest?.version ?? null;
  };
}
