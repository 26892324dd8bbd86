import { AppError } from '../app-error.ts';
import type { ApiClient } from './api-client.ts';
import { orgPath } from './incident-args.ts';

/** How a service name was found: a project of that slug, or the projects whose issues carry its tag. */
export interface ServiceProjects {
  service: string;
  /** `service:api` when found by tag; null when a project is named so. */
  tag: string | null;
  /** Project slugs, those with the most tagged issues first; with the count of those issues. */
  projects: { slug: string; issues: number }[];
}

const ISSUES_SCANNED = 100;

/**
 * A service as incidents and runbooks name it (docs/runbooks.md): a project's slug, or a tag value
 * its events carry — `service:api`, or a bare name under the organisation's componentTag
 * (`service` when none is set). Tagged services map to the projects whose issues, seen within
 * `period`, carry the tag.
 */
export async function projectsOfService(
  client: ApiClient,
  org: string,
  service: string,
  period: string,
): Promise<ServiceProjects> {
  const projects = (await client.request({ method: 'GET', path: orgPath(org, 'projects') })) as {
    slug: string;
  }[];
  if (!service.includes(':') && projects.some((p) => p.slug === service)) {
    return { service, tag: null, projects: [{ slug: service, issues: 0 }] };
  }
  const tag = service.includes(':') ? service : `${await componentTag(client, org)}:${service}`;
  let issues: { project?: { slug?: string } }[];
  try {
    issues = (await client.request({
      method: 'GET',
      path: orgPath(org, 'issues'),
      query: { query: `${tag} is:unresolved`, statsPeriod: period, limit: String(ISSUES_SCANNED) },
    })) as typeof issues;
  } catch (error) {
    // A tag key no issue has is refused by search as a likely typo: for a service, "not found".
    if (error instanceof AppError && error.code === 'VALIDATION') issues = [];
    else throw error;
  }
  const counts = new Map<string, number>();
  for (const issue of issues) {
    const slug = issue.project?.slug;
    if (slug) counts.set(slug, (counts.get(slug) ?? 0) + 1);
  }
  if (counts.size === 0) {
    throw new AppError(
      'NOT_FOUND',
      `service ${service}: no project is named so, and no unresolved issue seen in the last ${period} carries ${tag}`,
    );
  }
  return {
    service,
    tag,
    projects: [...counts]
      .map(([slug, count]) => ({ slug, issues: count }))
      .sort((a, b) => b.issues - a.issues),
  };
}

/** The organisation's componentTag, or `service` (also when the token may not read the settings). */
async function componentTag(client: ApiClient, org: string): Promise<string> {
  try {
    const settings = (await client.request({ method: 'GET', path: orgPath(org, 'incident-settings') })) as {
      componentTag?: string | null;
    };
    return settings.componentTag || 'service';
  } catch (error) {
    if (error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND'))
      return 'service';
    throw error;
  }
}
