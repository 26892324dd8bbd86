import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Deploy } from '../store/types-releases.ts';
import { findRelease, projectNamed, RELEASE_READ } from './access.ts';
import { nextCursor, PageInput, parseInput, previousCursor } from './schemas.ts';

const ListDeploysInput = PageInput.extend({
  /** The Sentry MCP server filters by `project` (id) or `projectSlug`. */
  project: z.string().max(20).optional(),
  projectSlug: z.string().max(100).optional(),
});

/** Every deploy of the release, newest finished first (Sentry shows the latest per project and environment). */
export async function listDeploys(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; version: string; query: unknown },
): Promise<{ deploys: Deploy[]; previousCursor: string | null; nextCursor: string | null }> {
  const { release, projects } = await findRelease(ctx, principal, input, RELEASE_READ);
  const q = parseInput(ListDeploysInput, input.query);
  const wanted = q.projectSlug ?? q.project;
  const project = wanted === undefined ? undefined : (projectNamed(projects, wanted) ?? null);
  const previous = previousCursor(q.cursor, q.per_page);
  if (project === null) return { deploys: [], previousCursor: previous, nextCursor: null };
  const deploys = await ctx.store.deploys.list(release.id, {
    projectId: project?.id,
    limit: q.per_page + 1,
    offset: q.cursor,
  });
  return {
    deploys: deploys.slice(0, q.per_page),
    previousCursor: previous,
    nextCursor: nextCursor(q.cursor, q.per_page, deploys.length),
  };
}
