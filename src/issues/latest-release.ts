import type { AppContext } from '../context.ts';
import type { Project } from '../store/types.ts';
import type { LatestRelease } from '../store/types-issues.ts';

/**
 * Sentry's latest release of each project: its newest open release by creation date. Issue
 * search, event search (`release:latest`) and resolving in the next release all read it here.
 */
export async function latestReleases(
  ctx: AppContext,
  orgId: number,
  projectIds: number[],
): Promise<Map<number, LatestRelease>> {
  if (projectIds.length === 0) return new Map();
  return ctx.store.issues.latestReleases(orgId, [...new Set(projectIds)]);
}

/** `release:latest` in a search: the latest release of each searched project (none: no version). */
export async function latestReleaseVersions(
  ctx: AppContext,
  orgId: number,
  projects: Project[],
): Promise<string[]> {
  const latest = await latestReleases(
    ctx,
    orgId,
    projects.map((p) => p.id),
  );
  return [...new Set([...latest.values()].map((r) => r.version))];
}
