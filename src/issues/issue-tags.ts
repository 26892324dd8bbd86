import { notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Issue, TagValueCount } from '../store/types.ts';
import type { TagKeySummary } from '../store/types-issues.ts';
import { getIssue } from './get-issue.ts';
import { nextOffsetCursor, offsetPageOf } from './page.ts';

/** Sentry shows this many top values per tag key. */
const TOP_VALUES = 9;

type IssueRef = { org: string; issueId: string };

/** `GET …/issues/{id}/tags/`: every tag key of the issue (or those named by `key=`) with its top values. */
export async function listIssueTags(
  ctx: AppContext,
  principal: Principal,
  input: IssueRef & { keys: string[] },
): Promise<{ issue: Issue; tags: TagKeySummary[] }> {
  const { issue } = await getIssue(ctx, principal, input);
  const keys = input.keys.length > 0 ? input.keys : undefined;
  return { issue, tags: await ctx.store.issues.tagSummary(issue.id, { keys, top: TOP_VALUES }) };
}

/** `GET …/issues/{id}/tags/{key}/`: one key, 404 when the issue never had it. */
export async function getIssueTag(
  ctx: AppContext,
  principal: Principal,
  input: IssueRef & { key: string },
): Promise<TagKeySummary> {
  const { issue } = await getIssue(ctx, principal, input);
  const [tag] = await ctx.store.issues.tagSummary(issue.id, { keys: [input.key], top: TOP_VALUES });
  if (!tag) throw notFound('tag');
  return tag;
}

/** `GET …/issues/{id}/tags/{key}/values/`: paginated, by `sort` = count (default), date or age. */
export async function listIssueTagValues(
  ctx: AppContext,
  principal: Principal,
  input: IssueRef & { key: string; query: unknown },
): Promise<{ values: TagValueCount[]; nextCursor: string | null }> {
  const page = offsetPageOf(input.query);
  const { issue } = await getIssue(ctx, principal, input);
  const values = await ctx.store.issues.tagValuePage(issue.id, input.key, {
    sort: page.sort,
    limit: page.limit + 1,
    offset: page.offset,
  });
  if (values.length === 0 && page.offset === 0) throw notFound('tag');
  return { values: values.slice(0, page.limit), nextCursor: nextOffsetCursor(page, values.length) };
}
