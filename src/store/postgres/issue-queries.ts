import type pg from 'pg';
import { AppError } from '../../app-error.ts';
import { decodeIssueCursor, encodeIssueCursor, SORT_COLUMNS } from '../issue-cursor.ts';
import type { BucketCount, IssueListQuery, IssuePage, Store } from '../types.ts';
import type { IssueWorkflowStore } from '../types-issues.ts';
import { postgresIssuePredicates } from './issue-filter.ts';
import { one, rows } from './pool.ts';
import { toActivity, toIssue, toTagValueCount } from './rows.ts';

type IssueReads = Omit<Store['issues'], keyof IssueWorkflowStore>;

export function createIssueQueries(pool: pg.Pool): IssueReads {
  return {
    async getById(id) {
      const row = await one(pool, 'SELECT * FROM issues WHERE id = $1', [id]);
      return row ? toIssue(row) : null;
    },
    async getByShortId(projectId, shortIdNumber) {
      const row = await one(pool, 'SELECT * FROM issues WHERE project_id = $1 AND short_id_number = $2', [
        projectId,
        shortIdNumber,
      ]);
      return row ? toIssue(row) : null;
    },
    list: (query) => listIssues(pool, query),
    async hashes(issueId) {
      const found = await rows<{ hash: string }>(
        pool,
        'SELECT hash FROM issue_hashes WHERE issue_id = $1 ORDER BY hash',
        [issueId],
      );
      return found.map((row) => row.hash);
    },
    async tagValues(issueId, key) {
      const found =
        key === undefined
          ? await rows(
              pool,
              'SELECT * FROM issue_tag_values WHERE issue_id = $1 ORDER BY key COLLATE "C", count DESC, value COLLATE "C"',
              [issueId],
            )
          : await rows(
              pool,
              'SELECT * FROM issue_tag_values WHERE issue_id = $1 AND key = $2 ORDER BY count DESC, value COLLATE "C"',
              [issueId, key],
            );
      return found.map(toTagValueCount);
    },
    async buckets(issueIds, resolution, start, end) {
      const table = resolution === 'minute' ? 'issue_buckets_minute' : 'issue_buckets_hour';
      const result = new Map<number, BucketCount[]>(issueIds.map((id) => [id, []]));
      const found = await rows<{ issue_id: number; start: number; count: number }>(
        pool,
        `SELECT issue_id, start, count FROM ${table}
         WHERE issue_id = ANY($1::bigint[]) AND start >= $2 AND start < $3 ORDER BY issue_id, start`,
        [issueIds, start, end],
      );
      for (const row of found) result.get(row.issue_id)?.push({ start: row.start, count: row.count });
      return result;
    },
    async activities(issueId) {
      const found = await rows(
        pool,
        'SELECT * FROM issue_activities WHERE issue_id = $1 ORDER BY created_at, id',
        [issueId],
      );
      return found.map(toActivity);
    },
  };
}

async function listIssues(pool: pg.Pool, query: IssueListQuery): Promise<IssuePage> {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new AppError('VALIDATION', 'issue list limit must be a positive integer');
  }
  const { column } = SORT_COLUMNS[query.sort];
  const params: unknown[] = [query.orgId];
  const where = ['i.project_id IN (SELECT id FROM projects WHERE org_id = $1)'];
  const param = (value: unknown) => `$${params.push(value)}`;
  if (query.projectIds) where.push(`i.project_id = ANY(${param(query.projectIds)}::bigint[])`);
  if (query.statuses) where.push(`i.status = ANY(${param(query.statuses)}::text[])`);
  where.push(...postgresIssuePredicates(query.filter, params));
  if (query.cursor) {
    const after = decodeIssueCursor(query.sort, query.cursor);
    where.push(`(i.${column}, i.id) < (${param(after.value)}::bigint, ${param(after.id)}::bigint)`);
  }
  const found = await rows(
    pool,
    `SELECT i.* FROM issues i WHERE ${where.join(' AND ')}
     ORDER BY i.${column} DESC, i.id DESC LIMIT ${param(query.limit + 1)}`,
    params,
  );
  const issues = found.slice(0, query.limit).map(toIssue);
  const hasMore = found.length > query.limit;
  return { issues, nextCursor: hasMore ? encodeIssueCursor(query.sort, issues[issues.length - 1]) : null };
}
