import type { AlertRule, ReleaseHealthTotals } from '../store/types-alerts.ts';
import { HOUR } from './baseline.ts';
import { type Candidate, crossesMinute, type ProjectScan } from './scan.ts';
import { conditionsOf, type ReleaseConditions } from './schemas.ts';

/** Releases with sessions in this long are compared with the release before them… */
const ACTIVE_MS = 24 * HOUR;
/** …on their sessions of the last 30 days. */
const HISTORY_MS = 30 * 24 * HOUR;

type Metric = ReleaseConditions['metric'];

/** The metric in percent (null without data), how many sessions or users it rests on, and its direction. */
export function metricOf(
  totals: ReleaseHealthTotals,
  metric: Metric,
): { value: number | null; basis: number } {
  const pct = (part: number, whole: number) =>
    whole > 0 ? Math.min(100, Math.max(0, (100 * part) / whole)) : null;
  if (metric === 'crash_free_users') {
    const crashFree = pct(totals.users - totals.crashedUsers, totals.users);
    return { value: crashFree, basis: totals.users };
  }
  if (metric === 'crash_free_sessions') {
    return { value: pct(totals.sessions - totals.crashed, totals.sessions), basis: totals.sessions };
  }
  const unhealthy = totals.crashed + totals.abnormal + totals.unhandled + totals.errored;
  return { value: pct(unhealthy, totals.sessions), basis: totals.sessions };
}

const LABEL: Record<Metric, string> = {
  crash_free_sessions: 'crash-free sessions',
  crash_free_users: 'crash-free users',
  errored_sessions: 'sessions with errors',
};

/**
 * `release_health` rules (checked once a minute): per environment, releases in the order their
 * first session (of the last 30 days) arrived; each release active in the last day is compared
 * with the one before it on those 30 days' sessions, once both have
 * `minSessions`, and fires (once per release, environment and metric) when it is worse by at
 * least `threshold` percentage points.
 */
export async function detectReleaseHealth(scan: ProjectScan, rules: AlertRule[]): Promise<Candidate[]> {
  if (rules.length === 0 || !crossesMinute(scan)) return [];
  const totals = await scan.ctx.store.releaseHealth.totals({
    projectIds: [scan.project.id],
    byEnvironment: true,
    since: scan.now - HISTORY_MS,
  });
  const byEnvironment = new Map<string, ReleaseHealthTotals[]>();
  for (const row of totals) {
    const list = byEnvironment.get(row.environment ?? '') ?? [];
    list.push(row);
    byEnvironment.set(row.environment ?? '', list);
  }
  const candidates: Candidate[] = [];
  for (const rule of rules) {
    const spec = conditionsOf<ReleaseConditions>('release_health', rule.conditions);
    for (const [environment, releases] of byEnvironment) {
      if (rule.filters.environments && !rule.filters.environments.includes(environment)) continue;
      releases.sort((a, b) => a.firstSeen - b.firstSeen || a.release.localeCompare(b.release));
      for (let i = 1; i < releases.length; i++) {
        const current = releases[i];
        if (current.lastSeen < scan.now - ACTIVE_MS) continue;
        const found = compare(releases[i - 1], current, spec);
        if (!found) continue;
        candidates.push({
          rule,
          detector: 'release_health',
          subject: `release:${current.release}@${environment}`,
          window: spec.metric,
          issue: null,
          at: scan.now,
          summary:
            `${current.release} (${environment}): ${found.current.toFixed(2)} % ${LABEL[spec.metric]}, ` +
            `${found.previous.toFixed(2)} % in ${releases[i - 1].release}`,
          data: {
            metric: spec.metric,
            environment,
            release: current.release,
            value: round(found.current),
            previousRelease: releases[i - 1].release,
            previousValue: round(found.previous),
            threshold: spec.threshold,
            sessions: current.sessions,
            crashed: current.crashed,
            users: current.users,
            crashedUsers: current.crashedUsers,
            previousSessions: releases[i - 1].sessions,
          },
        });
      }
    }
  }
  return candidates;
}

const round = (n: number) => Math.round(n * 100) / 100;

function compare(previous: ReleaseHealthTotals, current: ReleaseHealthTotals, spec: ReleaseConditions) {
  const before = metricOf(previous, spec.metric);
  const now = metricOf(current, spec.metric);
  if (before.value === null || now.value === null) return null;
  if (before.basis < spec.minSessions || now.basis < spec.minSessions) return null;
  const worseBy = spec.metric === 'errored_sessions' ? now.value - before.value : before.value - now.value;
  return worseBy >= spec.threshold ? { previous: before.value, current: now.value } : null;
}
