import { MINUTE_MS } from './timestamps.ts';

/**
 * The periods triage reads, aligned to the minute buckets the counts come from. `window` is the
 * playbook's "last 15 minutes" (the current, partial minute included); `baseline` is the hour
 * before it; `recent` is both together, the period affected users, tag breakdowns and the blast
 * radius are measured over, so a pause of a few minutes in a burst does not shrink the impact.
 * Every period is [start, end): start inclusive, end exclusive.
 */
export const WINDOW_MINUTES = 15;
export const BASELINE_MINUTES = 60;

export interface Period {
  start: number;
  end: number;
}

export interface TriagePeriods {
  window: Period;
  baseline: Period;
  recent: Period;
}

export function triagePeriods(now: number): TriagePeriods {
  const end = now - (now % MINUTE_MS) + MINUTE_MS;
  const windowStart = end - WINDOW_MINUTES * MINUTE_MS;
  const baselineStart = windowStart - BASELINE_MINUTES * MINUTE_MS;
  return {
    window: { start: windowStart, end },
    baseline: { start: baselineStart, end: windowStart },
    recent: { start: baselineStart, end },
  };
}

/** Events per minute, to two decimals. */
export const perMinute = (count: number, minutes: number): number =>
  minutes > 0 ? Math.round((count / minutes) * 100) / 100 : 0;

/** How many times the window's rate is the baseline's (two decimals); null when the baseline is 0. */
export function rateRatio(windowCount: number, baselineCount: number): number | null {
  if (baselineCount === 0) return null;
  const ratio = windowCount / WINDOW_MINUTES / (baselineCount / BASELINE_MINUTES);
  return Math.round(ratio * 100) / 100;
}

/** A rate counts as having jumped when it is at least this many times the rate before. */
export const RATE_JUMP_FACTOR = 2;
/** …and at least this many events arrived in the later period (a few stray events are noise). */
export const RATE_JUMP_MIN_EVENTS = 5;

/**
 * Whether `after` events over `afterMinutes` is a jump against `before` events over
 * `beforeMinutes`: at least RATE_JUMP_MIN_EVENTS, at a rate at least RATE_JUMP_FACTOR times the
 * earlier one (anything from nothing is a jump once it reaches the minimum).
 */
export function rateJumped(
  after: number,
  afterMinutes: number,
  before: number,
  beforeMinutes: number,
): boolean {
  if (after < RATE_JUMP_MIN_EVENTS || afterMinutes <= 0) return false;
  if (before === 0) return true;
  return after / afterMinutes >= (RATE_JUMP_FACTOR * before) / beforeMinutes;
}
