import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { newKeyMaterial } from '../keys/key-material.ts';
import { resolveTeam } from '../orgs/resolve.ts';
import type { Org, ProjectKey } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { type ProjectView, viewProjects } from './project-view.ts';
import { CreateProjectInput, slugFromName } from './schemas.ts';

/**
 * POST /teams/{org}/{team}/projects/ — Sentry's way to create a project: owned by the team, and
 * (as in Sentry) with a first DSN key named "Default", all in one transaction.
 */
export async function createProject(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; team: string; body: unknown },
): Promise<{ org: Org; view: ProjectView; key: ProjectKey }> {
  requireScope(principal, 'project:write', 'project:admin');
  const data = parseInput(CreateProjectInput, input.body ?? {});
  const { org, team } = await resolveTeam(ctx, principal, input.org, input.team);
  const { project, key } = await ctx.store.projects.createWithKey({
    orgId: org.id,
    teamId: team.id,
    slug: data.slug ?? slugFromName(data.name),
    name: data.name,
    platform: data.platform ?? null,
    now: ctx.clock.now(),
    key: newKeyMaterial('Default'),
  });
  const [view] = await viewProjects(ctx, principal, [project]);
  return { org, view, key };
}
