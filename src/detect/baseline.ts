/**
 * Baselines and the spike test, pure functions over minute and hour counts (bucket start → count).
 * Why this method: docs/decisions/0007-alert-baselines.md.
 */

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Minutes of history before the window that give the recent level. */
export const RECENT_MINUTES = 60;
/** With less history than this (a brand-new issue) there is no baseline yet: no spike verdict. */
export const MIN_HISTORY_MINUTES = 10;
/** Days of the same hour that give the seasonal level. */
export const SEASON_DAYS = 7;
/** The spike must also be this unlikely under the baseline, read as a Poisson rate… */
export const SPIKE_P_VALUE = 1e-6;
/**
 * …and this many standard deviations above it, the deviation being the larger of Poisson's and
 * the one the history shows (robustSpread), since real error counts are burstier than Poisson
 * (decision 0007).
 */
export const SPIKE_MIN_Z = 6;
/** An expected count is never taken below one event per ten minutes. */
const MIN_EXPECTED_PER_MINUTE = 0.1;
const EWMA_ALPHA = 0.1;

export type Counts = ReadonlyMap<number, number>;
export type BaselineMethod = 'seasonal' | 'ewma';

export const floorTo = (ms: number, unit: number) =>
  Number.isFinite(ms) ? ms - (((ms % unit) + unit) % unit) : ms;

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Mean without the highest and lowest 10 %: robust to a burst, unbiased for a steady rate. */
export function trimmedMean(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const cut = Math.floor(sorted.length * 0.1);
  const kept = sorted.slice(cut, sorted.length - cut);
  return kept.reduce((sum, v) => sum + v, 0) / kept.length;
}

/**
 * The minute counts of the RECENT_MINUTES before `windowStart` (minute-aligned), oldest first,
 * leaving out the minutes before `historyStart` (before the issue existed nothing is known).
 */
function recentMinutes(minute: Counts, windowStart: number, historyStart: number): number[] {
  const first = Math.max(windowStart - RECENT_MINUTES * MINUTE, floorTo(historyStart, MINUTE));
  const counts: number[] = [];
  for (let start = first; start < windowStart; start += MINUTE) counts.push(minute.get(start) ?? 0);
  return counts;
}

export interface Baseline {
  /** Expected events per minute. */
  perMinute: number;
  recent: number;
  seasonal: number;
  /** Robust standard deviation of the history's minute counts. */
  spread: number;
  method: BaselineMethod;
}

/**
 * `seasonal`: the larger of the recent level (trimmed mean of the last hour's minutes) and the
 * seasonal level (median over the last SEASON_DAYS days of the same hour of day, per minute; of
 * both hours when the window spans two), so a level the issue reaches at this hour every day
 * (business hours, a nightly job) is expected once it has happened on most of the last days.
 * `ewma`: an exponentially weighted mean of the last hour's minutes (α = 0.1), kept to compare
 * against (bench/detectors.ts).
 */
export function baselineAt(
  minute: Counts,
  hour: Counts,
  windowStart: number,
  at: number,
  method: BaselineMethod,
  historyStart = Number.NEGATIVE_INFINITY,
): Baseline {
  const history = recentMinutes(minute, windowStart, historyStart);
  const spread = robustSpread(history);
  if (method === 'ewma') {
    let level = history[0] ?? 0;
    for (const count of history.slice(1)) level = EWMA_ALPHA * count + (1 - EWMA_ALPHA) * level;
    return { perMinute: level, recent: level, seasonal: 0, spread, method };
  }
  const recent = trimmedMean(history);
  const seasonal = Math.max(seasonalAt(hour, windowStart), seasonalAt(hour, at));
  return { perMinute: Math.max(recent, seasonal), recent, seasonal, spread, method };
}

/**
 * A standard deviation that a burst in the history barely moves: the larger of 1.4826 × MAD and
 * IQR / 1.349 (both equal σ for normal data; MAD alone is 0 when most minutes are identical).
 */
export function robustSpread(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mid = median(sorted);
  const mad = median(sorted.map((v) => Math.abs(v - mid)));
  return Math.max(1.4826 * mad, (at(0.75) - at(0.25)) / 1.349);
}

/** Median per-minute rate of the hour holding `time`, over the previous SEASON_DAYS days (no events: 0). */
function seasonalAt(hour: Counts, time: number): number {
  const hourStart = floorTo(time, HOUR);
  return median(Array.from({ length: SEASON_DAYS }, (_, d) => hour.get(hourStart - (d + 1) * DAY) ?? 0)) / 60;
}

export const ceilTo = (ms: number, unit: number) => -floorTo(-ms, unit);

export interface WindowCount {
  count: number;
  /** Part of `count` is a pro-rated share of the oldest bucket: an estimate, not a tally. */
  estimated: boolean;
}

/**
 * Events in the `windowMinutes` before `at`. At a minute boundary that is whole buckets, exactly.
 * Inside a minute the current (partial) bucket counts whole and the oldest one by the part of it
 * still inside the window, as if its events were spread evenly: an estimate, so that a burst is
 * seen before its minute is over (issue 6: a 5× spike alerts within a minute). Buckets that start
 * before the first whole minute after `since` (a rule enabled again) count nothing.
 */
export function windowCount(
  minute: Counts,
  at: number,
  windowMinutes: number,
  since = Number.NEGATIVE_INFINITY,
): WindowCount {
  const first = ceilTo(since, MINUTE);
  const bucket = (start: number) => (start >= first ? (minute.get(start) ?? 0) : 0);
  const current = floorTo(at, MINUTE);
  const elapsed = (at - current) / MINUTE;
  if (elapsed === 0) {
    let sum = 0;
    for (let i = 1; i <= windowMinutes; i++) sum += bucket(current - i * MINUTE);
    return { count: sum, estimated: false };
  }
  let sum = bucket(current);
  for (let i = 1; i < windowMinutes; i++) sum += bucket(current - i * MINUTE);
  const share = (1 - elapsed) * bucket(current - windowMinutes * MINUTE);
  return { count: sum + share, estimated: share > 0 };
}

/** Where the baseline's history ends: the start of the oldest bucket the window touches. */
export function historyEndOf(at: number, windowMinutes: number): number {
  return floorTo(at, MINUTE) - windowMinutes * MINUTE;
}

export interface SpikeVerdict {
  spike: boolean;
  /** The instant the window starts (`windowMinutes` before, or the first minute `since`); it ends at `at`. */
  windowStart: number;
  count: number;
  /** `count` includes a share of the oldest minute (windowCount): report it as approximate. */
  estimated: boolean;
  expected: number;
  ratio: number | null;
  pValue: number;
  /** Standard deviations above the expected count. */
  z: number;
  baseline: Baseline;
}

export function spikeAt(
  minute: Counts,
  hour: Counts,
  at: number,
  rule: { factor: number; minCount: number; windowMinutes: number; baseline: BaselineMethod },
  historyStart = Number.NEGATIVE_INFINITY,
  since = Number.NEGATIVE_INFINITY,
): SpikeVerdict {
  const { count, estimated } = windowCount(minute, at, rule.windowMinutes, since);
  const historyEnd = historyEndOf(at, rule.windowMinutes);
  const baseline = baselineAt(minute, hour, historyEnd, at, rule.baseline, historyStart);
  const known = historyEnd - floorTo(historyStart, MINUTE) >= MIN_HISTORY_MINUTES * MINUTE;
  const expected = baseline.perMinute * rule.windowMinutes;
  const floor = Math.max(expected, MIN_EXPECTED_PER_MINUTE * rule.windowMinutes);
  const pValue = count >= rule.minCount ? poissonUpperTail(Math.ceil(count - 1e-9), floor) : 1;
  const sd = Math.max(Math.sqrt(floor), baseline.spread * Math.sqrt(rule.windowMinutes));
  const z = (count - expected) / sd;
  const significant = pValue < SPIKE_P_VALUE && z >= SPIKE_MIN_Z;
  return {
    spike: known && count >= rule.minCount && count >= rule.factor * expected && significant,
    windowStart: Math.min(at, Math.max(at - rule.windowMinutes * MINUTE, ceilTo(since, MINUTE))),
    count,
    estimated,
    expected,
    ratio: expected > 0 ? count / expected : null,
    pValue,
    z,
    baseline,
  };
}

/** ln Γ(x) (Lanczos, g = 7): enough precision for tail probabilities. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≥ k) for X ~ Poisson(λ). */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  if (k <= lambda) return 1 - poissonLowerTail(k - 1, lambda);
  let term = Math.exp(-lambda + k * Math.log(lambda) - lnGamma(k + 1));
  let sum = 0;
  for (let i = k; term > sum * 1e-15 && i < k + 100_000; i++) {
    sum += term;
    term *= lambda / (i + 1);
  }
  return Math.min(1, sum);
}

function poissonLowerTail(k: number, lambda: number): number {
  let term = Math.exp(-lambda);
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term *= lambda / i;
    sum += term;
  }
  return Math.min(1, sum);
}
