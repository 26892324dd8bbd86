import { shortIdOf } from '../issues/short-id.ts';
import type { AlertRule } from '../store/types-alerts.ts';
import { MINUTE, type SpikeVerdict, spikeAt } from './baseline.ts';
import { activeSince, type Candidate, evaluationInstants, hasFilters, type ProjectScan } from './scan.ts';
import { conditionsOf, type SpikeConditions } from './schemas.ts';

export type SpikeSpec = Pick<SpikeConditions, 'factor' | 'minCount' | 'windowMinutes' | 'baseline'>;

/** The first instant at which each issue spiked, among `instants`. */
export async function issueSpikes(
  scan: ProjectScan,
  rule: AlertRule,
  spec: SpikeSpec,
  instants: number[],
): Promise<Map<number, { at: number; verdict: SpikeVerdict }>> {
  const found = new Map<number, { at: number; verdict: SpikeVerdict }>();
  if (instants.length === 0) return found;
  const busy = await scan.busyIssues(instants[0] - (spec.windowMinutes + 1) * MINUTE, spec.minCount);
  const issueIds = await scan.filter(rule, busy);
  const series = await scan.series(issueIds);
  for (const [issueId, { minute, hour }] of series) {
    const issue = await scan.issue(issueId);
    if (!issue) continue;
    for (const at of instants) {
      const verdict = spikeAt(minute, hour, at, spec, issue.firstSeen, activeSince(rule));
      if (verdict.spike) {
        found.set(issueId, { at, verdict });
        break;
      }
    }
  }
  return found;
}

/** The numbers a spike firing records (and notifications show). */
export function spikeData(verdict: SpikeVerdict, spec: SpikeSpec) {
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    windowStart: new Date(verdict.windowStart).toISOString(),
    count: round(verdict.count),
    countEstimated: verdict.estimated,
    expected: round(verdict.expected),
    ratio: verdict.ratio === null ? null : round(verdict.ratio),
    baselinePerMinute: round(verdict.baseline.perMinute),
    recentPerMinute: round(verdict.baseline.recent),
    seasonalPerMinute: round(verdict.baseline.seasonal),
    spreadPerMinute: round(verdict.baseline.spread),
    z: round(verdict.z),
    baselineMethod: verdict.baseline.method,
    windowMinutes: spec.windowMinutes,
    factor: spec.factor,
    minCount: spec.minCount,
  };
}

/** "~" marks a count that includes a share of the window's oldest minute (baseline.ts windowCount). */
export function spikeSummary(what: string, verdict: SpikeVerdict, spec: SpikeSpec): string {
  const ratio = verdict.ratio === null ? 'no events expected' : `${verdict.ratio.toFixed(1)}× the baseline`;
  const count = `${verdict.estimated ? '~' : ''}${Math.round(verdict.count)}`;
  return `${what}: ${count} events in the last ${spec.windowMinutes} min, ${ratio} (${verdict.expected.toFixed(1)} expected)`;
}

/** One firing per cooldown period: the key's window part (the claim's cooldown row covers the edges). */
export function cooldownWindow(rule: AlertRule, at: number): string {
  const period = Math.max(rule.cooldownMinutes, 1) * MINUTE;
  return String(Math.floor(at / period) * period);
}

/** `spike` rules: each issue (or the project's total) against its baseline, at every instant of the pass. */
export async function detectSpikes(scan: ProjectScan, rules: AlertRule[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const instants = evaluationInstants(scan.from, scan.now);
  for (const rule of rules) {
    const spec = conditionsOf<SpikeConditions>('spike', rule.conditions);
    if (spec.scope === 'project') {
      const spike = await projectSpike(scan, rule, spec, instants);
      if (spike) {
        candidates.push({
          rule,
          detector: 'spike',
          subject: `project:${scan.project.id}`,
          window: cooldownWindow(rule, spike.at),
          issue: null,
          at: spike.at,
          summary: spikeSummary(`Spike in ${scan.project.slug}`, spike.verdict, spec),
          data: { scope: 'project', ...spikeData(spike.verdict, spec) },
        });
      }
      continue;
    }
    for (const [issueId, { at, verdict }] of await issueSpikes(scan, rule, spec, instants)) {
      const issue = await scan.issue(issueId);
      if (!issue) continue;
      candidates.push({
        rule,
        detector: 'spike',
        subject: `issue:${issueId}`,
        window: cooldownWindow(rule, at),
        issue,
        at,
        summary: spikeSummary(`Spike in ${shortIdOf(scan.project, issue)} ${issue.title}`, verdict, spec),
        data: { scope: 'issue', ...spikeData(verdict, spec) },
      });
    }
  }
  return candidates;
}

/** The project's total (of the issues passing the filters) against its own baseline. */
async function projectSpike(scan: ProjectScan, rule: AlertRule, spec: SpikeSpec, instants: number[]) {
  let series = await scan.projectSeries();
  if (hasFilters(rule)) {
    const seen = await scan.busyIssues(instants[0] - 2 * 60 * MINUTE, 1);
    const perIssue = await scan.series(await scan.filter(rule, seen));
    series = { minute: new Map(), hour: new Map() };
    for (const { minute, hour } of perIssue.values()) {
      for (const [start, count] of minute) series.minute.set(start, (series.minute.get(start) ?? 0) + count);
      for (const [start, count] of hour) series.hour.set(start, (series.hour.get(start) ?? 0) + count);
    }
  }
  for (const at of instants) {
    const verdict = spikeAt(series.minute, series.hour, at, spec, scan.project.createdAt, activeSince(rule));
    if (verdict.spike) return { at, verdict };
  }
  return null;
}
