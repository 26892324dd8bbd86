import { invalid } from '../app-error.ts';
import type { Store } from '../store/types.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One `stats` series of an issue: `key` names it in the answer (`{"24h": [[t, n], …]}`). */
export interface StatsSpec {
  key: string;
  step: number;
  points: number;
  /** Exclusive end of the last bucket; null = the bucket containing now. */
  end: number | null;
}

export const STATS_24H: StatsSpec = { key: '24h', step: HOUR, points: 24, end: null };
export const STATS_14D: StatsSpec = { key: '14d', step: DAY, points: 14, end: null };
export const STATS_30D: StatsSpec = { key: '30d', step: DAY, points: 30, end: null };

/**
 * Sentry's stats period of an issue list: '24h' (default) → 24 hourly points, '14d' → 14 daily
 * points, '' → none, and on the organisation list 'auto' → points spanning the searched range.
 */
export function parseStatsPeriod(
  value: string | undefined,
  autoRange?: { start: number; end: number },
): StatsSpec | null {
  const period = value ?? '24h';
  if (period === '24h') return STATS_24H;
  if (period === '14d') return STATS_14D;
  if (period === '') return null;
  if (period === 'auto' && autoRange) {
    const step = autoRange.end - autoRange.start <= 2 * DAY ? HOUR : DAY;
    // Whole buckets from the one holding the start to the one holding the end's last moment.
    const first = Math.floor(autoRange.start / step) * step;
    const end = Math.ceil(autoRange.end / step) * step;
    return { key: 'auto', step, points: Math.min((end - first) / step, 90), end };
  }
  throw invalid(`invalid statsPeriod "${period.slice(0, 20)}": use 24h, 14d or an empty value`);
}

/** Per issue, [bucketStartSeconds, count] pairs oldest first, from the hour buckets. */
export async function issueStats(
  store: Store,
  issueIds: number[],
  spec: StatsSpec | null,
  now: number,
): Promise<Map<number, [number, number][]>> {
  const out = new Map<number, [number, number][]>();
  if (!spec || issueIds.length === 0) return out;
  const { step, points } = spec;
  // An explicit end is exclusive and already on a bucket boundary; now is inside its bucket.
  const end = spec.end ?? now - (now % step) + step;
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
