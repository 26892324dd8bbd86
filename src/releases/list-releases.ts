import { z } from 'zod';
import { forbidden, notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { projectNamed, RELEASE_READ, type ReleaseContext, releaseContext } from './access.ts';
import { type ReleaseWithHealth, withHealth } from './health-view.ts';
import { nextCursor, PageInput, parseInput, previousCursor } from './schemas.ts';

const ListReleasesInput = PageInput.extend({
  query: z.string().max(200).optional(),
  status: z.enum(['open', 'archived']).default('open'),
  /** Sentry's project filter: ids (or slugs), repeatable; -1 means every project. */
  project: z.union([z.string(), z.array(z.string())]).optional(),
  /** Sentry's `health=1`: each project's `healthData` (release health) in the answer. */
  health: z.enum(['0', '1', 'true', 'false']).optional(),
});

/**
 * The organisation's releases (or one project's, with `projectSlug`), newest first;
 * `query` matches a substring of the version, case-insensitively, as in Sentry.
 */
export async function listReleases(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; projectSlug?: string; query: unknown },
): Promise<
  ReleaseContext & { releases: ReleaseWithHealth[]; previousCursor: string | null; nextCursor: string | null }
> {
  const found = await releaseContext(ctx, principal, input.org, RELEASE_READ);
  const q = parseInput(ListReleasesInput, input.query);
  // Ids or slugs; one the organisation does not have is refused as the issue and event lists do,
  // rather than read as "every project".
  const wanted = [q.project ?? []].flat();
  let projectIds = wanted.includes('-1')
    ? []
    : wanted.map((ref) => {
        const project = projectNamed(found.projects, ref);
        if (!project) throw forbidden(`You do not have permission to access project "${ref.slice(0, 100)}"`);
        return project.id;
      });
  if (input.projectSlug !== undefined) {
    const project = projectNamed(found.projects, input.projectSlug);
    if (!project) throw notFound('project');
    projectIds = [project.id];
  }
  const page = await ctx.store.releases.list({
    orgId: found.org.id,
    projectIds: projectIds.length > 0 ? projectIds : undefined,
    query: q.query || undefined,
    status: q.status,
    limit: q.per_page + 1,
    offset: q.cursor,
  });
  return {
    ...found,
    releases: await withHealth(ctx, page.slice(0, q.per_page), q.health === '1' || q.health === 'true'),
    previousCursor: previousCursor(q.cursor, q.per_page),
    nextCursor: nextCursor(q.cursor, q.per_page, page.length),
  };
}
