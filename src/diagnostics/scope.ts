import type { AppContext } from '../context.ts';
import type { Org, Project } from '../store/types.ts';
import type { DiscoverQuery, EventFilter } from '../store/types-events.ts';

export const MINUTE_MS = 60_000;

export interface Period {
  /** Inclusive. */
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * What every part of a project's diagnostics reads: the window (`since` back from the end of the
 * current minute, so the minute buckets count it whole) and the window of the same length before
 * it, the comparison baseline.
 */
export interface DiagnosticsScope {
  org: Org;
  project: Project;
  now: number;
  window: Period;
  previous: Period;
  minutes: number;
}

export function diagnosticsScope(org: Org, project: Project, now: number, sinceMs: number): DiagnosticsScope {
  const end = now - (now % MINUTE_MS) + MINUTE_MS;
  const start = end - sinceMs;
  return {
    org,
    project,
    now,
    window: { start, end },
    previous: { start: start - sinceMs, end: start },
    minutes: sinceMs / MINUTE_MS,
  };
}

/** A Discover query over the project's stored events in the window (Discover's bounds are inclusive). */
export function windowQuery(
  scope: DiagnosticsScope,
  query: Pick<DiscoverQuery, 'select' | 'orderBy' | 'limit'> & { filters?: EventFilter[] },
): DiscoverQuery {
  return {
    orgId: scope.org.id,
    projectIds: [scope.project.id],
    start: scope.window.start,
    end: scope.window.end - 1,
    filters: query.filters ?? [],
    select: query.select,
    having: [],
    orderBy: query.orderBy,
    limit: query.limit,
    offset: 0,
  };
}

/** Rows of `value, count` from Discover, as `{ value, count }` (null values dropped). */
export async function countsBy(
  ctx: AppContext,
  scope: DiagnosticsScope,
  attr: DiscoverQuery['select'][number],
  limit: number,
  filters: EventFilter[] = [],
): Promise<{ value: string; count: number }[]> {
  const { rows } = await ctx.store.events.discover(
    windowQuery(scope, {
      select: [attr, { aggregate: { fn: 'count' } }],
      orderBy: [{ index: 1, desc: true }],
      limit,
      filters,
    }),
  );
  return rows.flatMap(([value, count]) =>
    value === null || value === '' ? [] : [{ value: String(value), count: Number(count) }],
  );
}

export const perMinute = (count: number, minutes: number): number =>
  minutes > 0 ? Math.round((count / minutes) * 100) / 100 : 0;
