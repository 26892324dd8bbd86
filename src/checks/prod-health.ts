import { type CheckContext, rerunCommand } from './context.ts';
import { HEALTH_THRESHOLDS, healthSnapshot } from './health-snapshot.ts';
import { describeIssue, listUnresolved } from './issue-list.ts';
import { prepareApiMode, reportApiFailure } from './prepare-api.ts';
import { CheckReport } from './report.ts';
import type { CheckResult, HealthData, IssueSummary } from './schemas.ts';

const list = (issues: IssueSummary[], max = 3) =>
  issues.slice(0, max).map(describeIssue).join('; ') +
  (issues.length > max ? `; and ${issues.length - max} more` : '');

/**
 * A daily snapshot of the project's unresolved issues and the risk indicators above their
 * thresholds (HEALTH_THRESHOLDS). Any unresolved backlog is PARTIAL, as the playbook reads it.
 */
export async function runProdHealth(ctx: CheckContext): Promise<CheckResult> {
  const report = new CheckReport('prod-health');
  const target = await prepareApiMode(ctx, report, ['prod-health']);
  if (!target) return report.result(null);
  let data: HealthData;
  try {
    const listing = await listUnresolved(ctx, target);
    data = healthSnapshot(listing, ctx.now());
    if (listing.smokeTestIssues > 0) report.fact('the local-smoke test issue is left out of these counts');
  } catch (error) {
    reportApiFailure(ctx, report, error);
    return report.result(null);
  }
  const t = HEALTH_THRESHOLDS;
  const atLeast = data.complete ? '' : 'at least ';
  const levels = Object.entries(data.byLevel)
    .filter(([, n]) => n > 0)
    .map(([level, n]) => `${n} ${level}`)
    .join(', ');
  report.fact(`${atLeast}${data.unresolved} unresolved issues${levels ? ` (${levels})` : ''}`);
  report.fact(
    `${data.events24h} events in the last 24h across them; ${data.new24h} first seen in the last 24h`,
  );
  report.fact(`${data.regressed} regressed, ${data.escalating} escalating`);
  if (data.topByEvents.length > 0) report.fact(`top by events: ${list(data.topByEvents, t.top)}`);
  if (data.topByUsers.length > 0) report.fact(`top by users: ${list(data.topByUsers, t.top)}`);

  if (data.unresolved > 0) report.warn(`unresolved backlog: ${atLeast}${data.unresolved} issues`);
  if (data.byLevel.fatal > 0) report.warn(`${data.byLevel.fatal} fatal issues unresolved`);
  if (data.new24h > t.newIssues24h) {
    report.warn(`${data.new24h} new issues in 24h (threshold ${t.newIssues24h}): check the latest deploy`);
  }
  if (data.regressed > 0) report.warn(`${data.regressed} regressed issues came back after being resolved`);
  if (data.escalating > 0) report.warn(`${data.escalating} ignored issues are escalating`);
  if (data.spiking.length > 0) {
    report.warn(
      `spiking (current hour ≥ ${t.spikeMinEvents} events and > ${t.spikeFactor}× the 23h mean): ${list(data.spiking)}`,
    );
  }
  if (data.staleHighVolume.length > 0) {
    report.warn(
      `stale high-volume (≥ ${t.staleMinEvents} events, older than ${t.staleDays}d, unassigned): ${list(data.staleHighVolume)}`,
    );
  }
  if (data.unresolved > 0) report.next(rerunCommand(ctx, 'issue-triage', target));
  if (data.regressed > 0 || data.new24h > t.newIssues24h)
    report.next(rerunCommand(ctx, 'release-gate', target));
  report.next(rerunCommand(ctx, 'verify-loop', target));
  return report.result(data);
}
