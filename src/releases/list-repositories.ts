import { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Repository } from '../store/types-releases.ts';
import { RELEASE_WRITE, releaseContext } from './access.ts';
import { nextCursor, PageInput, parseInput, previousCursor } from './schemas.ts';

const ListRepositoriesInput = PageInput.extend({ query: z.string().max(200).optional() });

/**
 * Repositories known from commits sent with releases (Firebreak has no repository
 * integrations). sentry-cli reads this before set-commits; `org:read` or a release-writing scope
 * may list them (Sentry: `org:read|org:integrations|org:ci`).
 */
export async function listRepositories(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; query: unknown },
): Promise<{ repositories: Repository[]; previousCursor: string | null; nextCursor: string | null }> {
  const { org } = await releaseContext(ctx, principal, input.org, [
    'org:read',
    'org:write',
    'org:admin',
    ...RELEASE_WRITE,
  ]);
  const q = parseInput(ListRepositoriesInput, input.query);
  const repositories = await ctx.store.repositories.list(org.id, {
    query: q.query || undefined,
    limit: q.per_page + 1,
    offset: q.cursor,
  });
  return {
    repositories: repositories.slice(0, q.per_page),
    previousCursor: previousCursor(q.cursor, q.per_page),
    nextCursor: nextCursor(q.cursor, q.per_page, repositories.length),
  };
}
