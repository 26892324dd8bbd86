import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { nextOffsetCursor, parseOffsetCursor, previousOffsetCursor } from '../offset-cursor.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { parseInput } from '../validation.ts';
import { loadRunbook, resolveProjectRefs } from './access.ts';
import { ListRunbooksInput, parseTagRef, RUNBOOK_READ } from './schemas.ts';
import { type RunbookView, viewRunbooks } from './view.ts';

/** GET /organizations/{org}/runbooks/?project=web&tag=service:api — by title, offset cursors. */
export async function listRunbooks(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
): Promise<{ views: RunbookView[]; previousCursor: string | null; nextCursor: string | null }> {
  requireScope(principal, ...RUNBOOK_READ);
  const org = await resolveOrg(ctx, principal, input.org);
  const params = parseInput(ListRunbooksInput, input);
  const offset = parseOffsetCursor(params.cursor);
  const [project] = params.project ? await resolveProjectRefs(ctx, org, [params.project]) : [];
  const tag = params.tag === undefined ? undefined : parseTagRef(params.tag);
  if (tag === null) throw invalid('invalid tag: use key:value, e.g. service:api');
  const runbooks = await ctx.store.runbooks.list({
    orgId: org.id,
    projectId: project?.id,
    tag,
    limit: params.per_page + 1,
    offset,
  });
  return {
    views: await viewRunbooks(ctx, org.id, runbooks.slice(0, params.per_page)),
    previousCursor: previousOffsetCursor(offset, params.per_page),
    nextCursor: nextOffsetCursor(offset, params.per_page, runbooks.length),
  };
}

/** GET /organizations/{org}/runbooks/{id}/ */
export async function getRunbook(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; id: string },
): Promise<RunbookView> {
  const { org, runbook } = await loadRunbook(ctx, principal, params, RUNBOOK_READ);
  return (await viewRunbooks(ctx, org.id, [runbook]))[0];
}
