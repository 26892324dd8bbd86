import { invalid } from '../app-error.ts';
import type { Store } from '../store/types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Sentry's issue-list `statsPeriod`: '24h' → 24 hourly points, '14d' → 14 daily points, '' → none. */
export type StatsPeriod = '24h' | '14d' | '';

export function parseStatsPeriod(value: string | undefined): StatsPeriod {
  const period = value ?? '24h';
  if (period === '24h' || period === '14d' || period === '') return period;
  throw invalid(`invalid statsPeriod "${period.slice(0, 20)}": use 24h, 14d or an empty value`);
}

/** Per issue, [bucketStartSeconds, count] pairs oldest first, as Sentry's `stats` object holds them. */
export async function issueStats(
  store: Store,
  issueIds: number[],
  period: StatsPeriod,
  now: number,
): Promise<Map<number, [number, number][]>> {
  const out = new Map<number, [number, number][]>();
  if (period === '' || issueIds.length === 0) return out;
  const step = period === '24h' ? HOUR : DAY;
  const points = period === '24h' ? 24 : 14;
  const end = now - (now % step) + step;
  const start = end - points * step;
  const buckets = await store.issues.buckets(issueIds, 'hour', start, end);
  for (const id of issueIds) {
    const series = Array.from({ length: points }, (_, i): [number, number] => [(start + i * step) / 1000, 0]);
    for (const bucket of buckets.get(id) ?? []) {
      const index = Math.floor((bucket.start - start) / step);
      if (index >= 0 && index < points) series[index][1] += bucket.count;
    }
    out.set(id, series);
  }
  return out;
}
