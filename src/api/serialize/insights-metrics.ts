import type { IncidentMetrics } from '../../memory/metrics.ts';
import type { GroupStats } from '../../memory/metrics-stats.ts';
import { isoDate } from './dates.ts';

const group = (stats: GroupStats) => ({
  incidents: stats.incidents,
  open: stats.open,
  /** Seconds: { count, median, p90 } per milestone. */
  ...stats.durations,
});

export function serializeIncidentMetrics(metrics: IncidentMetrics) {
  const { actionItems } = metrics;
  return {
    since: isoDate(metrics.since),
    until: isoDate(metrics.until),
    unit: 'seconds',
    total: group(metrics.total),
    bySeverity: metrics.bySeverity.map(({ severity, ...stats }) => ({ severity, ...group(stats) })),
    byMonth: metrics.byMonth.map(({ month, ...stats }) => ({ month, ...group(stats) })),
    fragileAreas: metrics.fragileAreas,
    actionItems: {
      open: actionItems.open,
      overdue: actionItems.overdue,
      byKind: actionItems.byKind,
      overdueItems: actionItems.overdueItems.map(({ item, incident, owner }) => ({
        id: String(item.id),
        title: item.title,
        kind: item.kind,
        status: item.status,
        owner: owner?.name ?? null,
        dueAt: item.dueAt === null ? null : isoDate(item.dueAt),
        incident: incident?.ref ?? null,
      })),
      truncated: actionItems.truncated,
    },
    truncated: metrics.truncated,
  };
}
