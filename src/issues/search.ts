import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { parseSearchQuery } from '../search/parse.ts';
import type { IssueStatus, Org, Project } from '../store/types.ts';
import type { IssueCondition, IssueFilter } from '../store/types-issues.ts';
import { conditionsForTerm } from './search-keys.ts';

/** What a search runs against: the caller, the organisation and the projects searched. */
export interface SearchScope {
  principal: Principal;
  org: Org;
  projects: Project[];
  now: number;
}

/** Sentry's default when a list request carries no `query` at all (reference §5.3). */
export const DEFAULT_ISSUE_QUERY = 'is:unresolved';

/**
 * Issue search (reference/sentry-protocol.md §5.5) → IssueFilter. Terms are ANDed, except that
 * several `is:` statuses widen each other (`is:unresolved is:ignored` = either). Free text is
 * joined into one substring of the title or culprit, as Sentry does. A token this search does not
 * understand is a 400 naming it, never silently dropped (that would return the wrong issues).
 */
export async function buildIssueFilter(
  ctx: AppContext,
  scope: SearchScope,
  query: string | undefined,
): Promise<IssueFilter> {
  const terms = parseSearchQuery(query ?? DEFAULT_ISSUE_QUERY);
  const conditions: IssueCondition[] = [];
  const statuses: IssueStatus[] = [];
  const text: string[] = [];
  for (const term of terms) {
    if (term.kind === 'text') {
      text.push(term.value);
      continue;
    }
    for (const condition of await conditionsForTerm(ctx, scope, term)) {
      if (condition.field === 'status' && !condition.negate) statuses.push(...condition.values);
      else conditions.push(condition);
    }
  }
  if (statuses.length > 0) conditions.unshift({ field: 'status', values: [...new Set(statuses)] });
  if (text.length > 0) conditions.push({ field: 'text', value: text.join(' ') });
  return { conditions };
}
