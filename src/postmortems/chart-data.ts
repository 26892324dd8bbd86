import type { AppContext } from '../context.ts';
import type { LinkedIssue } from '../incidents/triage-scope.ts';
import type { DeploySignal, Incident, TimelineEntry } from '../store/types-incidents.ts';
import { floorMinute } from './facts-impact.ts';

const MINUTE_MS = 60_000;
/** Minutes shown before the impact starts and after it is resolved, so the chart shows the return to normal. */
const LEAD_MINUTES = 10;
const TAIL_MINUTES = 15;
/** A deploy this close before the impact starts is pulled into the chart. */
export const DEPLOY_REACH_MINUTES = 60;
/** Bucket sizes tried in order; the first that needs at most MAX_BUCKETS bars is used. */
const BUCKET_MINUTES = [1, 5, 15, 60, 360, 1440];
const MAX_BUCKETS = 120;
/** Issues drawn separately; the rest are added up as "other issues". */
const MAX_SERIES = 5;

export interface ChartSeries {
  /** null for the sum of the issues beyond MAX_SERIES. */
  issueId: number | null;
  label: string;
  counts: number[];
}

export interface ChartMarker {
  at: number;
  kind: 'deploy' | 'mitigation' | 'detected' | 'resolved';
  label: string;
}

/** Events per bucket of the linked issues across the incident, with its deploys and mitigations. */
export interface ChartData {
  start: number;
  end: number;
  bucketMinutes: number;
  series: ChartSeries[];
  markers: ChartMarker[];
}

export async function chartData(
  ctx: AppContext,
  incident: Incident,
  linked: LinkedIssue[],
  entries: TimelineEntry[],
  deploys: DeploySignal[],
  span: { start: number; end: number; now: number },
): Promise<ChartData> {
  const reach = span.start - DEPLOY_REACH_MINUTES * MINUTE_MS;
  const firstDeploy = Math.min(...deploys.map((d) => d.dateFinished).filter((at) => at >= reach), span.start);
  const from = floorMinute(Math.min(span.start, firstDeploy)) - LEAD_MINUTES * MINUTE_MS;
  const until = Math.min(span.now, span.end + TAIL_MINUTES * MINUTE_MS);
  const minutes = Math.max(1, Math.ceil((until - from) / MINUTE_MS));
  const bucketMinutes = BUCKET_MINUTES.find((m) => minutes / m <= MAX_BUCKETS) ?? BUCKET_MINUTES.at(-1)!;
  const bucketMs = bucketMinutes * MINUTE_MS;
  const start = from - (from % bucketMs);
  const buckets = Math.max(1, Math.ceil((until - start) / bucketMs));
  const end = start + buckets * bucketMs;

  const stored = linked.length
    ? await ctx.store.issues.buckets(
        linked.map((l) => l.issue.id),
        bucketMinutes >= 60 ? 'hour' : 'minute',
        start,
        end,
      )
    : new Map();
  const perIssue = linked.map(({ issue, shortId }) => {
    const counts = new Array<number>(buckets).fill(0);
    for (const bucket of stored.get(issue.id) ?? []) {
      const index = Math.floor((bucket.start - start) / bucketMs);
      if (index >= 0 && index < buckets) counts[index] += bucket.count;
    }
    return { issueId: issue.id, label: `${shortId}: ${issue.title}`, counts };
  });
  const total = (s: { counts: number[] }) => s.counts.reduce((a, b) => a + b, 0);
  const ranked = [...perIssue].sort((a, b) => total(b) - total(a));
  const series: ChartSeries[] = ranked.slice(0, MAX_SERIES);
  if (ranked.length > MAX_SERIES) {
    const rest = ranked.slice(MAX_SERIES);
    series.push({
      issueId: null,
      label: `${rest.length} other issues`,
      counts: Array.from({ length: buckets }, (_, i) => rest.reduce((sum, s) => sum + s.counts[i], 0)),
    });
  }

  const inRange = (at: number) => at >= start && at < end;
  const markers: ChartMarker[] = [
    ...deploys.map((d) => ({ at: d.dateFinished, kind: 'deploy' as const, label: `deploy ${d.version}` })),
    ...entries
      .filter((e) => e.kind === 'mitigation')
      .map((m) => ({
        at: m.occurredAt,
        kind: 'mitigation' as const,
        label: [String(m.data.type ?? 'mitigation'), m.data.release ? String(m.data.release) : '']
          .filter(Boolean)
          .join(' '),
      })),
    ...(incident.detectedAt === null
      ? []
      : [{ at: incident.detectedAt, kind: 'detected' as const, label: 'detected' }]),
    ...(incident.resolvedAt === null
      ? []
      : [{ at: incident.resolvedAt, kind: 'resolved' as const, label: 'resolved' }]),
  ];
  return { start, end, bucketMinutes, series, markers: markers.filter((m) => inRange(m.at)) };
}
