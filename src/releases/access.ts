import { invalid, notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org, Project } from '../store/types.ts';
import type { Release } from '../store/types-releases.ts';

/**
 * Sentry's release permission scope maps (reference §5.3, §5.4). `org:ci` is the one scope of
 * organisation tokens, which CI uses for releases and deploys.
 */
export const RELEASE_READ: Scope[] = [
  'project:read',
  'project:write',
  'project:admin',
  'project:releases',
  'org:read',
  'org:ci',
];
export const RELEASE_WRITE: Scope[] = ['project:releases', 'project:write', 'project:admin', 'org:ci'];
/** Sentry's `OrganizationReleasePermission` lets only these delete a release: not `org:ci`, not `project:write`. */
export const RELEASE_DELETE: Scope[] = ['project:releases', 'project:admin'];

export function requireReleaseDelete(principal: Principal): void {
  requireScope(principal, ...RELEASE_DELETE);
}

export interface ReleaseContext {
  org: Org;
  /** Every project of the organisation by id, for serialising the releases' projects. */
  projects: Map<number, Project>;
}

export async function releaseContext(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  scopes: Scope[],
): Promise<ReleaseContext> {
  requireScope(principal, ...scopes);
  const org = await resolveOrg(ctx, principal, orgSlug);
  const projects = await ctx.store.projects.listByOrg(org.id);
  return { org, projects: new Map(projects.map((p) => [p.id, p])) };
}

/** The organisation's release by version, optionally required to belong to a project (by slug). */
export async function findRelease(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string; project?: string },
  scopes: Scope[],
): Promise<ReleaseContext & { release: Release }> {
  const found = await releaseContext(ctx, principal, input.org, scopes);
  const project = input.project === undefined ? undefined : projectNamed(found.projects, input.project);
  if (input.project !== undefined && !project) throw notFound('project');
  const release = await ctx.store.releases.get(found.org.id, input.version);
  if (!release || (project && !release.projects.some((p) => p.projectId === project.id))) {
    throw notFound('release');
  }
  return { ...found, release };
}

/** A project named by its slug or, as everywhere in Sentry's paths, its numeric id. */
export function projectNamed(projects: Map<number, Project>, ref: string | number): Project | undefined {
  return [...projects.values()].find((p) => p.slug === String(ref) || String(p.id) === String(ref));
}

/** Project slugs or ids named in a body → project ids; any unknown one is a 400, as in Sentry. */
export function projectIdsOf(projects: Map<number, Project>, refs: (string | number)[]): number[] {
  const ids = refs.map((ref) => {
    const match = projectNamed(projects, ref);
    if (!match) throw invalid('Invalid project ids or slugs');
    return match.id;
  });
  return [...new Set(ids)];
}
