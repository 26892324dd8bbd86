import type { AppContext } from '../context.ts';
import { shortIdOf } from '../issues/short-id.ts';
import type { Issue } from '../store/types.ts';
import { type DiagnosticsScope, perMinute, windowQuery } from './scope.ts';

const MAX_NEW_ISSUES = 100;

export interface IssueRate {
  issue: Issue;
  shortId: string;
  /** Events in the window and in the window before it, from the minute buckets. */
  events: number;
  previous: number;
  perMinute: number;
  /** Window rate ÷ previous rate; null when the previous window had none. */
  ratio: number | null;
  /** Distinct users among the window's stored events. */
  users: number;
  /** First seen inside the window. */
  isNew: boolean;
}

export interface IssueSummary {
  top: IssueRate[];
  total: {
    events: number;
    previous: number;
    perMinute: number;
    previousPerMinute: number;
    ratio: number | null;
    /** Issues with at least one event in the window. */
    issues: number;
  };
  /** Issues first seen in the window (newest first), at most MAX_NEW_ISSUES. */
  newIssues: { shortId: string; title: string; firstSeen: number }[];
}

const ratioOf = (events: number, previous: number): number | null =>
  previous === 0 ? null : Math.round((events / previous) * 100) / 100;

/** The busiest issues in the window, with rates against the window before and their users. */
export async function summarizeIssues(
  ctx: AppContext,
  scope: DiagnosticsScope,
  limit: number,
): Promise<IssueSummary> {
  const projectIds = [scope.project.id];
  const [counts, previous] = await Promise.all([
    ctx.store.signals.issueCounts({ projectIds, ...scope.window }),
    ctx.store.signals.issueCounts({ projectIds, ...scope.previous }),
  ]);
  const ranked = [...counts].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const topIds = ranked.slice(0, limit).map(([id]) => id);
  const users = new Map<number, number>();
  if (topIds.length > 0) {
    const { rows } = await ctx.store.events.discover(
      windowQuery(scope, {
        select: [
          { attr: { column: 'issue.id' } },
          { aggregate: { fn: 'count_unique', attr: { column: 'user' } } },
        ],
        orderBy: [],
        limit: topIds.length,
        filters: [{ kind: 'in', attr: { column: 'issue.id' }, negated: false, values: topIds }],
      }),
    );
    for (const [id, n] of rows) users.set(Number(id), Number(n));
  }
  const top: IssueRate[] = [];
  for (const id of topIds) {
    const issue = await ctx.store.issues.getById(id);
    if (!issue) continue;
    const events = counts.get(id) ?? 0;
    const before = previous.get(id) ?? 0;
    top.push({
      issue,
      shortId: shortIdOf(scope.project, issue),
      events,
      previous: before,
      perMinute: perMinute(events, scope.minutes),
      ratio: ratioOf(events, before),
      users: users.get(id) ?? 0,
      isNew: issue.firstSeen >= scope.window.start,
    });
  }
  const events = ranked.reduce((sum, [, n]) => sum + n, 0);
  const before = [...previous.values()].reduce((sum, n) => sum + n, 0);
  const fresh = await ctx.store.issues.list({
    orgId: scope.org.id,
    projectIds,
    filter: { conditions: [{ field: 'firstSeen', op: '>=', value: scope.window.start }] },
    sort: 'new',
    limit: MAX_NEW_ISSUES,
  });
  return {
    top,
    total: {
      events,
      previous: before,
      perMinute: perMinute(events, scope.minutes),
      previousPerMinute: perMinute(before, scope.minutes),
      ratio: ratioOf(events, before),
      issues: ranked.length,
    },
    newIssues: fresh.issues.map((issue) => ({
      shortId: shortIdOf(scope.project, issue),
      title: issue.title,
      firstSeen: issue.firstSeen,
    })),
  };
}
