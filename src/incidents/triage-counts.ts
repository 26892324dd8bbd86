import type { AppContext } from '../context.ts';
import type { DiscoverRow } from '../store/types-events.ts';
import { linkedEvents, type TriageScope } from './triage-scope.ts';
import { BASELINE_MINUTES, type Period, perMinute, rateRatio, WINDOW_MINUTES } from './triage-windows.ts';

export interface EventRate {
  window: number;
  baseline: number;
  perMinute: number;
  baselinePerMinute: number;
  /** Window rate ÷ baseline rate; null when the baseline had no events. */
  ratio: number | null;
}

export interface UserCounts {
  /** Distinct users in the last 15 minutes. */
  window: number;
  /** Distinct users in the recent 75 minutes (window and baseline). */
  recent: number;
  /**
   * All users the issue ever had (issue counters; for the total, distinct across issues). Counting
   * one environment, the distinct users of its stored events: the counters know no environment.
   */
  overall: number;
}

/** Events per issue, for every issue of the organisation, from the minute buckets. */
export interface OrgCounts {
  window: Map<number, number>;
  baseline: Map<number, number>;
}

export async function countOrgIssues(ctx: AppContext, scope: TriageScope): Promise<OrgCounts> {
  const projectIds = [...scope.orgProjects.keys()];
  const { window, baseline } = scope.periods;
  const [w, b] = await Promise.all([
    ctx.store.signals.issueCounts({ projectIds, ...window }),
    ctx.store.signals.issueCounts({ projectIds, ...baseline }),
  ]);
  return { window: w, baseline: b };
}

export function eventRate(windowCount: number, baselineCount: number): EventRate {
  return {
    window: windowCount,
    baseline: baselineCount,
    perMinute: perMinute(windowCount, WINDOW_MINUTES),
    baselinePerMinute: perMinute(baselineCount, BASELINE_MINUTES),
    ratio: rateRatio(windowCount, baselineCount),
  };
}

/** The linked issues' rates from per-issue counts (the buckets', or one environment's events). */
export function linkedRates(scope: TriageScope, counts: OrgCounts) {
  const perIssue = new Map<number, EventRate>();
  let window = 0;
  let baseline = 0;
  for (const { issue } of scope.linked) {
    const w = counts.window.get(issue.id) ?? 0;
    const b = counts.baseline.get(issue.id) ?? 0;
    perIssue.set(issue.id, eventRate(w, b));
    window += w;
    baseline += b;
  }
  return { perIssue, total: eventRate(window, baseline) };
}

const num = (value: DiscoverRow[number] | undefined): number => Number(value ?? 0);

/** Distinct users per linked issue and across them, from the stored events' user identity. */
async function distinctUsers(ctx: AppContext, scope: TriageScope, period: Period | null) {
  const userCount = { aggregate: { fn: 'count_unique' as const, attr: { column: 'user' as const } } };
  const common = { having: [], orderBy: [], offset: 0, ...linkedEvents(scope, period) };
  const [perIssue, total] = await Promise.all([
    ctx.store.events.discover({
      ...common,
      select: [{ attr: { column: 'issue.id' } }, userCount],
      limit: 1000,
    }),
    ctx.store.events.discover({ ...common, select: [userCount], limit: 1 }),
  ]);
  return {
    perIssue: new Map(perIssue.rows.map((row) => [num(row[0]), num(row[1])])),
    total: num(total.rows[0]?.[0]),
  };
}

export async function countUsers(
  ctx: AppContext,
  scope: TriageScope,
): Promise<{ perIssue: Map<number, UserCounts>; total: UserCounts }> {
  const perIssue = new Map<number, UserCounts>();
  if (scope.linked.length === 0) return { perIssue, total: { window: 0, recent: 0, overall: 0 } };
  const [window, recent, stored] = await Promise.all([
    distinctUsers(ctx, scope, scope.periods.window),
    distinctUsers(ctx, scope, scope.periods.recent),
    distinctUsers(ctx, scope, null),
  ]);
  const oneEnvironment = scope.environment !== null;
  for (const { issue } of scope.linked) {
    perIssue.set(issue.id, {
      window: window.perIssue.get(issue.id) ?? 0,
      recent: recent.perIssue.get(issue.id) ?? 0,
      overall: oneEnvironment ? (stored.perIssue.get(issue.id) ?? 0) : issue.userCount,
    });
  }
  if (oneEnvironment) {
    return { perIssue, total: { window: window.total, recent: recent.total, overall: stored.total } };
  }
  // Retention prunes old events but never the counters: the total is at least the largest issue's.
  const largest = Math.max(0, ...scope.linked.map((l) => l.issue.userCount));
  return {
    perIssue,
    total: { window: window.total, recent: recent.total, overall: Math.max(stored.total, largest) },
  };
}
