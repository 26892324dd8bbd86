import { hasEnded, type Incident } from '../store/types-incidents.ts';

/**
 * The response times of incidents, as numbers a team can trend. Durations are the incident's own
 * `durations` (incidents/view.ts), in seconds: time to detect = first event → detected; to
 * acknowledge = detected → acknowledged; to mitigate / resolve = impact start (the first event,
 * else detection) → mitigated / resolved. An incident without the milestone (not yet
 * mitigated, first event unknown) is left out of that statistic, so `count` differs per metric.
 */

export const METRICS = ['timeToDetect', 'timeToAcknowledge', 'timeToMitigate', 'timeToResolve'] as const;
export type MetricName = (typeof METRICS)[number];
export type Durations = Record<MetricName, number | null>;

const seconds = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : Math.max(0, Math.round((to - from) / 1000));

export function incidentDurations(incident: Incident): Durations {
  const detected = incident.detectedAt ?? incident.declaredAt;
  const impactStart = incident.firstEventAt ?? detected;
  return {
    timeToDetect: seconds(incident.firstEventAt, detected),
    timeToAcknowledge: seconds(detected, incident.acknowledgedAt),
    timeToMitigate: seconds(impactStart, incident.mitigatedAt),
    timeToResolve: seconds(impactStart, incident.resolvedAt),
  };
}

export interface Stat {
  count: number;
  /** The middle value; with an even count the mean of the two middle ones. */
  median: number | null;
  /** Nearest rank: the smallest value at least 90 % of the values are at or below. */
  p90: number | null;
}

export function statOf(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { count: 0, median: null, p90: null };
  const median = n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { count: n, median, p90: sorted[Math.ceil(0.9 * n) - 1] };
}

export interface GroupStats {
  incidents: number;
  open: number;
  durations: Record<MetricName, Stat>;
}

export function groupStats(incidents: Incident[]): GroupStats {
  const all = incidents.map(incidentDurations);
  const durations = Object.fromEntries(
    METRICS.map((name) => [name, statOf(all.map((d) => d[name]).filter((v): v is number => v !== null))]),
  ) as Record<MetricName, Stat>;
  return {
    incidents: incidents.length,
    open: incidents.filter((i) => !hasEnded(i.status)).length,
    durations,
  };
}

/** `2026-01`: the UTC month an incident was declared in. */
export const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

/** Every month from the one holding `start` to the one holding `end`, ascending. */
export function monthsBetween(start: number, end: number): string[] {
  const months: string[] = [];
  const at = new Date(Date.UTC(new Date(start).getUTCFullYear(), new Date(start).getUTCMonth(), 1));
  const last = monthOf(end);
  while (monthOf(at.getTime()) <= last) {
    months.push(monthOf(at.getTime()));
    at.setUTCMonth(at.getUTCMonth() + 1);
  }
  return months;
}

export function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}
