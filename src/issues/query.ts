import { invalid } from '../app-error.ts';
import type { IssueStatus } from '../store/types.ts';

const STATUSES: Record<string, IssueStatus> = {
  unresolved: 'unresolved',
  resolved: 'resolved',
  ignored: 'ignored',
  archived: 'ignored',
  muted: 'ignored',
};

export interface IssueFilter {
  statuses?: IssueStatus[];
}

/**
 * The issue search subset this release understands: `is:` states. Any other token is refused
 * with a 400 naming it, rather than silently ignored (which would return the wrong issues).
 */
export function parseIssueQuery(query: string | undefined): IssueFilter {
  if (query === undefined) return { statuses: ['unresolved'] };
  const statuses: IssueStatus[] = [];
  for (const token of query.trim().split(/\s+/).filter(Boolean)) {
    const match = /^is:(\w+)$/.exec(token);
    const status = match ? STATUSES[match[1]] : undefined;
    if (!status) throw invalid(`unsupported search token "${token.slice(0, 60)}"`);
    statuses.push(status);
  }
  return statuses.length > 0 ? { statuses } : {};
}
