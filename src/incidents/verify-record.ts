import type { RateWindow, Verification } from './verify.ts';
import { TOLERANCE_PERCENT } from './verify-verdict.ts';

/** How a verification is shown: the JSON of the API and of `verification` entries, and one line of text. */

const rate = (value: number | null): number | null =>
  value === null ? null : Math.round(value * 1000) / 1000;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const windowRecord = (w: RateWindow) => ({
  start: iso(w.start),
  end: iso(w.end),
  minutes: w.minutes,
  count: w.count,
  perMinute: rate(w.perMinute),
});

/** The JSON form: the API answer and the `verification` entry's data (RFC 3339 dates). */
export function verificationRecord(v: Verification) {
  return {
    verdict: v.verdict,
    reason: v.reason,
    environment: v.environment,
    baselinePerMinute: rate(v.baseline.perMinute),
    duringPerMinute: rate(v.during.perMinute),
    afterPerMinute: v.after ? rate(v.after.perMinute) : null,
    recentPerMinute: rate(v.recent.perMinute),
    holdMinutes: v.holdMinutes,
    tolerancePercent: TOLERANCE_PERCENT,
    holdEndsAt: iso(v.holdEndsAt),
    computedAt: iso(v.computedAt),
    incidentStart: iso(v.incidentStart),
    mitigation: v.mitigation
      ? { ...v.mitigation, entryId: String(v.mitigation.entryId), occurredAt: iso(v.mitigation.occurredAt) }
      : null,
    baseline: windowRecord(v.baseline),
    during: windowRecord(v.during),
    after: v.after ? windowRecord(v.after) : null,
    recent: windowRecord(v.recent),
    issues: v.issues.map((i) => ({ ...i, issueId: String(i.issueId), projectId: String(i.projectId) })),
  };
}

const fmt = (value: number | null): string => (value === null ? '—' : value.toFixed(2));

/** One line for the timeline: the verdict with the numbers behind it. */
export function verificationSummary(v: Verification): string {
  if (v.verdict === 'no_mitigation') {
    return `Verification: no mitigation yet — ${fmt(v.recent.perMinute)}/min over the last ${v.recent.minutes} min vs baseline ${fmt(v.baseline.perMinute)}/min`;
  }
  if (v.verdict === 'pending') return 'Verification: pending — no complete minute since the mitigation yet';
  const where = v.environment === null ? '' : `; ${v.environment} only`;
  return `Verification: ${v.verdict.replace('_', ' ')} — ${fmt(v.recent.perMinute)}/min over the last ${v.recent.minutes} min vs baseline ${fmt(v.baseline.perMinute)}/min (before the mitigation ${fmt(v.during.perMinute)}/min)${where}`;
}
