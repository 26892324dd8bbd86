import { AppError } from '../app-error.ts';
import type { Issue, IssueSort } from './types.ts';

/** Sort key per list order; every order is descending and tie-broken by id descending. */
export const SORT_COLUMNS: Record<IssueSort, { column: string; value(issue: Issue): number }> = {
  date: { column: 'last_seen', value: (issue) => issue.lastSeen },
  new: { column: 'first_seen', value: (issue) => issue.firstSeen },
  freq: { column: 'times_seen', value: (issue) => issue.timesSeen },
  user: { column: 'user_count', value: (issue) => issue.userCount },
};

/** Keyset position: the last row's sort value and id, bound to the sort it came from. */
export function encodeIssueCursor(sort: IssueSort, issue: Issue): string {
  return Buffer.from(JSON.stringify([sort, SORT_COLUMNS[sort].value(issue), issue.id])).toString('base64url');
}

export function decodeIssueCursor(sort: IssueSort, cursor: string): { value: number; id: number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sort ||
    !Number.isSafeInteger(parsed[1]) ||
    !Number.isSafeInteger(parsed[2])
  ) {
    throw new AppError('VALIDATION', 'invalid cursor for this issue list');
  }
  return { value: parsed[1], id: parsed[2] };
}
