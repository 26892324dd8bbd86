/**
 * The verification verdict, from event counts over whole-minute windows. Pure, so the rules can
 * be read and tested on their own; verify.ts gathers the counts.
 *
 * Windows (all [start, end), whole minutes, from the minute buckets of the linked issues):
 * - baseline: the 60 minutes before the incident start;
 * - during:   incident start → the minute of the (latest) mitigation;
 * - after:    the first whole minute after the mitigation → the last complete minute;
 * - recent:   the last min(hold, after) complete minutes (the last hold window once it elapsed).
 * The minute in which the mitigation happened belongs to neither side: its events cannot be
 * told apart. The minute in progress is left out: its count is not final.
 */

export const VERDICTS = [
  'resolved',
  'improving',
  'not_improved',
  'worse',
  'no_mitigation',
  'pending',
  'no_data',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/**
 * ±10%: a rate up to 10% over the baseline counts as "at baseline", and one within 10% of the
 * during-rate as unchanged, so a steady error rate's minute-to-minute scatter decides nothing.
 * Applied to counts as ratios (integer arithmetic), so no rounding moves a verdict.
 */
export const TOLERANCE_PERCENT = 10;

export interface WindowCount {
  minutes: number;
  count: number;
}

export interface VerdictInput {
  baseline: WindowCount;
  during: WindowCount | null;
  after: WindowCount | null;
  recent: WindowCount;
  holdMinutes: number;
}

/** a/am ≤ b/bm × (100 + pct)/100, without division. */
const rateAtMost = (a: WindowCount, b: WindowCount, pct: number): boolean =>
  a.count * b.minutes * 100 <= b.count * a.minutes * (100 + pct);
const rateAbove = (a: WindowCount, b: WindowCount, pct: number): boolean => !rateAtMost(a, b, pct);
const rateBelow = (a: WindowCount, b: WindowCount, pct: number): boolean =>
  a.count * b.minutes * 100 < b.count * a.minutes * (100 - pct);

/** The window's rate is at most the baseline's + 10% (a baseline of 0 needs 0 events). */
export function atOrUnderBaseline(window: WindowCount, baseline: WindowCount): boolean {
  return baseline.minutes > 0 ? rateAtMost(window, baseline, TOLERANCE_PERCENT) : window.count === 0;
}

export function perMinute(window: WindowCount): number | null {
  return window.minutes > 0 ? window.count / window.minutes : null;
}

/**
 * - no_data (set by verify.ts): no linked issues, so no error rate to judge by.
 * - no_mitigation: nothing recorded yet.
 * - pending: no complete minute since the mitigation yet.
 * - resolved: `holdMinutes` complete minutes have passed since the mitigation and the last
 *   `holdMinutes` of them are at or under the baseline (the window's rate ≤ baseline + 10%; a
 *   baseline of 0, an issue new with the incident, needs 0 events).
 * - improving: the recent rate is at or under the baseline but the hold window has not elapsed,
 *   or it is above the baseline and more than 10% below the during-rate.
 * - worse: the recent rate is more than 10% above the during-rate.
 * - not_improved: anything else (above baseline, within ±10% of the during-rate, or above
 *   baseline with no during window to compare with).
 */
export function verdictOf(input: VerdictInput): { verdict: Verdict; reason: string } {
  const { baseline, during, after, recent, holdMinutes } = input;
  if (!after) return { verdict: 'no_mitigation', reason: 'no mitigation recorded yet' };
  if (after.minutes === 0 || recent.minutes === 0) {
    return { verdict: 'pending', reason: 'no complete minute since the mitigation yet' };
  }
  const atBaseline = atOrUnderBaseline(recent, baseline);
  if (atBaseline && after.minutes >= holdMinutes) {
    return {
      verdict: 'resolved',
      reason: `at or under the baseline for the whole hold window (the last ${holdMinutes} min)`,
    };
  }
  if (atBaseline) {
    return {
      verdict: 'improving',
      reason: `at or under the baseline for ${after.minutes} of the ${holdMinutes} min hold window`,
    };
  }
  if (!during || during.minutes === 0) {
    return {
      verdict: 'not_improved',
      reason: 'above the baseline (no time before the mitigation to compare)',
    };
  }
  if (rateAbove(recent, during, TOLERANCE_PERCENT)) {
    return { verdict: 'worse', reason: 'more errors per minute than before the mitigation' };
  }
  if (rateBelow(recent, during, TOLERANCE_PERCENT)) {
    return { verdict: 'improving', reason: 'below the rate before the mitigation, still above the baseline' };
  }
  return {
    verdict: 'not_improved',
    reason: 'about the same rate as before the mitigation, above the baseline',
  };
}
