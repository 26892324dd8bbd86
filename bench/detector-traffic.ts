import { randomBytes } from 'node:crypto';
import type { Store } from '../src/store/types.ts';
import { seededRandom } from './random.ts';

/**
 * Synthetic error traffic for the detectors (bench/detectors.ts and test/detect-spike.test.ts):
 * per issue a base rate with a daily cycle (±50 %), per-minute noise (log-normal, σ = 0.25: busier
 * and quieter minutes than a Poisson process alone gives) and Poisson counts per slice of time.
 * Counts go straight into the store's minute and hour buckets, as the digest writes them.
 */

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface TrafficIssue {
  issueId: number;
  projectId: number;
  /** Mean events per minute before the daily cycle. */
  perMinute: number;
  /** Multiplies the rate from `at` on (a spike). */
  spike?: { at: number; factor: number; until?: number };
  /** Multiplies the rate every day between these hours (UTC): a level the issue has each day. */
  daily?: { fromHour: number; toHour: number; factor: number };
}

export function createTraffic(seed: number) {
  const random = seededRandom(seed);
  const noise = new Map<string, number>();
  const gaussian = () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const poisson = (lambda: number) => {
    if (lambda <= 0) return 0;
    if (lambda > 60) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian()));
    const limit = Math.exp(-lambda);
    let k = 0;
    for (let p = random(); p > limit; p *= random()) k++;
    return k;
  };
  /** The issue's rate (events per minute) at `at`. */
  const rateAt = (issue: TrafficIssue, at: number) => {
    const minute = Math.floor(at / MINUTE);
    const key = `${issue.issueId}:${minute}`;
    let factor = noise.get(key);
    if (factor === undefined) {
      factor = Math.exp(0.25 * gaussian() - 0.25 ** 2 / 2);
      noise.set(key, factor);
      if (noise.size > 100_000) noise.clear();
    }
    const cycle = 1 + 0.5 * Math.sin((2 * Math.PI * (at % DAY)) / DAY);
    const hourOfDay = (at % DAY) / HOUR;
    const daily =
      issue.daily && hourOfDay >= issue.daily.fromHour && hourOfDay < issue.daily.toHour
        ? issue.daily.factor
        : 1;
    const spiking =
      issue.spike && at >= issue.spike.at && at < (issue.spike.until ?? Number.POSITIVE_INFINITY);
    return issue.perMinute * cycle * factor * daily * (spiking ? issue.spike!.factor : 1);
  };
  return {
    rateAt,
    /** Events of each issue in [start, start + ms), as bucket rows (minute-aligned starts). */
    slice(issues: TrafficIssue[], start: number, ms: number) {
      const rows: { issueId: number; projectId: number; start: number; count: number }[] = [];
      for (const issue of issues) {
        const count = poisson((rateAt(issue, start) * ms) / MINUTE);
        if (count > 0)
          rows.push({
            issueId: issue.issueId,
            projectId: issue.projectId,
            start: start - (start % MINUTE),
            count,
          });
      }
      return rows;
    },
  };
}

/** Creates an issue of the project straight in the store (as the digest's first event would). */
export async function createTrafficIssue(store: Store, projectId: number, firstSeen: number, title: string) {
  return store.ingestWrite((tx) =>
    tx.createIssue({
      projectId,
      hashes: [randomBytes(8).toString('hex')],
      title,
      culprit: 'synthetic',
      type: 'error',
      metadata: { type: title },
      level: 'error',
      firstSeen,
      firstRelease: null,
      groupingVersion: 'v1',
    }),
  );
}

/** Adds bucket rows (minute and hour buckets) in one ingest transaction, merging rows of one minute. */
export async function writeBuckets(
  store: Store,
  rows: { issueId: number; projectId: number; start: number; count: number }[],
): Promise<void> {
  if (rows.length === 0) return;
  const merged = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const key = `${row.issueId}:${row.start}`;
    const found = merged.get(key);
    if (found) found.count += row.count;
    else merged.set(key, { ...row });
  }
  await store.ingestWrite((tx) => tx.addIssueBuckets([...merged.values()]));
}
