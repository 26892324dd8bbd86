import { invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Deploy } from '../store/types-releases.ts';
import { findRelease, projectIdsOf, RELEASE_WRITE } from './access.ts';
import { CreateDeployInput, parseInput } from './schemas.ts';

/**
 * Records a deploy of a release to an environment (sentry `release_deploys.py` `post`):
 * `projects` default to all of the release's and must belong to it; `dateFinished` defaults to
 * now. The environment becomes one of each deployed project's environments.
 */
export async function createDeploy(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string; body: unknown },
): Promise<Deploy> {
  const { org, release, projects } = await findRelease(ctx, principal, input, RELEASE_WRITE);
  const body = parseInput(CreateDeployInput, input.body);
  const releaseProjectIds = release.projects.map((p) => p.projectId);
  const projectIds = body.projects?.length ? projectIdsOf(projects, body.projects) : releaseProjectIds;
  if (projectIds.some((id) => !releaseProjectIds.includes(id))) {
    throw invalid('Every project must belong to the release');
  }
  if (projectIds.length === 0) throw invalid('The release has no projects to deploy');
  const started = body.dateStarted ?? null;
  // A deploy cannot finish before it started: it would stand on charts and among the suspect
  // deploys at the wrong time, and deploys are never deleted.
  if (started !== null && body.dateFinished != null && started > body.dateFinished) {
    throw invalid('dateStarted must not be after dateFinished');
  }
  return ctx.store.deploys.create({
    orgId: org.id,
    releaseId: release.id,
    environment: body.environment,
    name: body.name ?? null,
    url: body.url ?? null,
    dateStarted: started,
    // Finished now unless it says when; a start a moment ahead of this clock (skew) is not after it.
    dateFinished: body.dateFinished ?? Math.max(ctx.clock.now(), started ?? 0),
    projectIds,
  });
}
