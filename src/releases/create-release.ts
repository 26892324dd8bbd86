import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Release } from '../store/types-releases.ts';
import { projectIdsOf, RELEASE_WRITE, type ReleaseContext, releaseContext } from './access.ts';
import { CreateReleaseInput, parseInput } from './schemas.ts';
import { commitsToSet } from './set-commits.ts';

/**
 * Get-or-create (sentry `organization_releases.py` `post`): `created` is false when the
 * version existed and no project was newly linked — answered 208 instead of 201.
 */
export async function createRelease(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project?: string; body: unknown },
): Promise<ReleaseContext & { release: Release; created: boolean }> {
  const found = await releaseContext(ctx, principal, input.org, RELEASE_WRITE);
  const body = parseInput(CreateReleaseInput, withProject(input.body, input.project));
  const projectIds = projectIdsOf(found.projects, body.projects);
  const commits = await commitsToSet(ctx, found.org, body);
  const result = await ctx.store.releases.create({
    orgId: found.org.id,
    version: body.version,
    projectIds,
    ref: body.ref ?? null,
    url: body.url ?? null,
    dateStarted: body.dateStarted ?? null,
    dateReleased: body.dateReleased ?? null,
    status: body.status ?? null,
    now: ctx.clock.now(),
    commits,
  });
  return { ...found, ...result };
}

/** The project-scoped create (`/projects/{org}/{project}/releases/`) implies its project. */
function withProject(body: unknown, project: string | undefined): unknown {
  if (project === undefined || typeof body !== 'object' || body === null) return body;
  return { ...body, projects: [project] };
}
