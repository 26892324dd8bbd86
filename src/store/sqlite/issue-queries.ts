import type { SQLInputValue } from 'node:sqlite';
import { AppError } from '../../app-error.ts';
import { decodeIssueCursor, encodeIssueCursor, SORT_COLUMNS } from '../issue-cursor.ts';
import { toTagValueCount } from '../tag-rows.ts';
import type { BucketCount, IssueListQuery, IssuePage, Store } from '../types.ts';
import type { IssueWorkflowStore } from '../types-issues.ts';
import type { SqliteConnection } from './connection.ts';
import { sqliteIssuePredicates } from './issue-filter.ts';
import { toActivity, toIssue } from './rows.ts';

type Row = Record<string, unknown>;

type IssueReads = Omit<Store['issues'], keyof IssueWorkflowStore>;

export function createIssueQueries(db: SqliteConnection): IssueReads {
  return {
    async getById(id) {
      const row = db.get<Row>('SELECT * FROM issues WHERE id = ?', id);
      return row ? toIssue(row) : null;
    },
    async getByShortId(projectId, shortIdNumber) {
      const row = db.get<Row>(
        'SELECT * FROM issues WHERE project_id = ? AND short_id_number = ?',
        projectId,
        shortIdNumber,
      );
      return row ? toIssue(row) : null;
    },
    list: async (query) => listIssues(db, query),
    async hashes(issueId) {
      return db
        .all<{ hash: string }>('SELECT hash FROM issue_hashes WHERE issue_id = ? ORDER BY hash', issueId)
        .map((row) => row.hash);
    },
    async tagValues(issueId, key) {
      const rows =
        key === undefined
          ? db.all<Row>(
              'SELECT * FROM issue_tag_values WHERE issue_id = ? ORDER BY key, count DESC, value',
              issueId,
            )
          : db.all<Row>(
              'SELECT * FROM issue_tag_values WHERE issue_id = ? AND key = ? ORDER BY count DESC, value',
              issueId,
              key,
            );
      return rows.map(toTagValueCount);
    },
    async buckets(issueIds, resolution, start, end) {
      const table = resolution === 'minute' ? 'issue_buckets_minute' : 'issue_buckets_hour';
      const result = new Map<number, BucketCount[]>(issueIds.map((id) => [id, []]));
      const rows = db.all<Row>(
        `SELECT issue_id, start, count FROM ${table}
         WHERE issue_id IN (SELECT value FROM json_each(?)) AND start >= ? AND start < ?
         ORDER BY issue_id, start`,
        JSON.stringify(issueIds),
        start,
        end,
      );
      for (const row of rows) {
        result.get(Number(row.issue_id))?.push({ start: Number(row.start), count: Number(row.count) });
      }
      return result;
    },
    async activities(issueId) {
      return db
        .all<Row>('SELECT * FROM issue_activities WHERE issue_id = ? ORDER BY created_at, id', issueId)
        .map(toActivity);
    },
  };
}

function listIssues(db: SqliteConnection, query: IssueListQuery): IssuePage {
  if (!Number.isSafeInteger(query.limit) || query.limit < 1) {
    throw new AppError('VALIDATION', 'issue list limit must be a positive integer');
  }
  const { column } = SORT_COLUMNS[query.sort];
  const where = ['i.project_id IN (SELECT id FROM projects WHERE org_id = ?)'];
  const params: SQLInputValue[] = [query.orgId];
  if (query.projectIds) {
    where.push('i.project_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(query.projectIds));
  }
  if (query.statuses) {
    where.push('i.status IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(query.statuses));
  }
  where.push(...sqliteIssuePredicates(query.filter, params));
  if (query.cursor) {
    const after = decodeIssueCursor(query.sort, query.cursor);
    where.push(`(i.${column}, i.id) < (?, ?)`);
    params.push(after.value, after.id);
  }
  const sql = `SELECT i.* FROM issues i WHERE ${where.join(' AND ')} ORDER BY i.${column} DESC, i.id DESC LIMIT ?`;
  // Search shapes vary with every query: prepare them afresh rather than grow the statement cache.
  const statement = query.filter?.conditions.length ? db.db.prepare(sql) : db.statement(sql);
  const rows = statement.all(...params, query.limit + 1) as Row[];
  const issues = rows.slice(0, query.limit).map(toIssue);
  const hasMore = rows.length > query.limit;
  return { issues, nextCursor: hasMore ? encodeIssueCursor(query.sort, issues[issues.length - 1]) : null };
}
