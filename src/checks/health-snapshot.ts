import { type IssueListing, type IssueRow, summarise } from './issue-list.ts';
import type { HealthData, LevelCounts } from './schemas.ts';

/** The risk thresholds of prod-health (docs/checks.md lists them). */
export const HEALTH_THRESHOLDS = {
  /** More new issues than this within 24 hours is a risk (a bad deploy usually brings several). */
  newIssues24h: 5,
  /** Stale: first seen this many days ago, still unresolved and unassigned … */
  staleDays: 7,
  /** … with at least this many events. */
  staleMinEvents: 100,
  /** Spiking: the current hour has this many times the average of the 23 before it … */
  spikeFactor: 3,
  /** … and at least this many events (a jump from 0 to 2 is noise). */
  spikeMinEvents: 10,
  /** Issues shown in each top list. */
  top: 5,
};

const HOUR = 3_600_000;
const LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;

/** Most events (or users) first; the short id breaks ties so equal input gives equal output. */
const byEvents = (a: IssueRow, b: IssueRow) => b.events - a.events || a.shortId.localeCompare(b.shortId);
const byUsers = (a: IssueRow, b: IssueRow) => b.users - a.users || byEvents(a, b);

export function healthSnapshot(listing: IssueListing, now: number): HealthData {
  const issues = listing.issues;
  const t = HEALTH_THRESHOLDS;
  const byLevel: LevelCounts = { fatal: 0, error: 0, warning: 0, info: 0, debug: 0, other: 0 };
  for (const issue of issues) {
    const level = (LEVELS as readonly string[]).includes(issue.level)
      ? (issue.level as keyof LevelCounts)
      : 'other';
    byLevel[level]++;
  }
  const since = (iso: string | null, ms: number) => iso !== null && Date.parse(iso) >= now - ms;
  return {
    unresolved: issues.length,
    complete: listing.complete,
    byLevel,
    new24h: issues.filter((i) => since(i.firstSeen, 24 * HOUR)).length,
    regressed: issues.filter((i) => i.substatus === 'regressed').length,
    escalating: issues.filter((i) => i.substatus === 'escalating').length,
    events24h: issues.reduce((sum, i) => sum + i.hourly.reduce((a, b) => a + b, 0), 0),
    topByEvents: [...issues].sort(byEvents).slice(0, t.top).map(summarise),
    topByUsers: [...issues]
      .filter((i) => i.users > 0)
      .sort(byUsers)
      .slice(0, t.top)
      .map(summarise),
    staleHighVolume: issues
      .filter(
        (i) =>
          i.events >= t.staleMinEvents &&
          i.assignedTo === null &&
          i.firstSeen !== null &&
          !since(i.firstSeen, t.staleDays * 24 * HOUR),
      )
      .sort(byEvents)
      .map(summarise),
    spiking: issues.filter(isSpiking).sort(byEvents).map(summarise),
  };
}

/** The newest hourly bucket against the mean of the ones before it. */
export function isSpiking(issue: IssueRow): boolean {
  if (issue.hourly.length < 2) return false;
  const current = issue.hourly[issue.hourly.length - 1];
  const before = issue.hourly.slice(0, -1);
  const mean = before.reduce((a, b) => a + b, 0) / before.length;
  return current >= HEALTH_THRESHOLDS.spikeMinEvents && current > HEALTH_THRESHOLDS.spikeFactor * mean;
}
