import type { AppContext } from '../context.ts';
import type { DeploySignal } from '../store/types-incidents.ts';
import { MINUTE_MS } from './timestamps.ts';
import { inEnvironments } from './triage-deploys.ts';
import type { LinkedIssue, TriageScope } from './triage-scope.ts';
import { rateJumped } from './triage-windows.ts';

/**
 * The suspect deploy: a deploy (of a linked issue's project, to an environment its events run in)
 * implicates a linked issue when the issue was first seen within SUSPECT_WINDOW_MS after it
 * finished, or when the issue's rate in that hour jumped against the hour before (triage-windows
 * `rateJumped`: ≥ 2× the rate and ≥ 5 events; the hour is cut short at now). Each issue is
 * attributed to the latest deploy implicating it; the suspect is the deploy with the most
 * issues, the later one on a tie. Deploys are looked for in the 24 hours before now and in the
 * hour before each linked issue's first event. Counts have minute resolution: the minute a deploy
 * finished in counts on neither side of it, unless it finished on the minute.
 */
export const SUSPECT_WINDOW_MS = 60 * MINUTE_MS;
export const SUSPECT_LOOKBACK_MS = 24 * 60 * MINUTE_MS;
const MAX_CANDIDATES = 20;
const ROLLBACK_LOOKBACK_MS = 365 * 24 * 60 * MINUTE_MS;

export interface Implication {
  issue: LinkedIssue;
  reason: 'first_seen' | 'rate_jump';
  /** first_seen: how long after the deploy the issue's first event came. */
  msAfter: number | null;
  /** rate_jump: events in the hour before and in the (up to an) hour after. */
  before: number | null;
  after: number | null;
}

export interface SuspectDeploy {
  deploy: DeploySignal;
  implicated: Implication[];
}

async function candidateDeploys(
  ctx: AppContext,
  scope: TriageScope,
  environments: Set<string>,
): Promise<DeploySignal[]> {
  const end = scope.periods.window.end;
  const found = new Map<number, DeploySignal>();
  const recent = await ctx.store.signals.deploys({
    projectIds: scope.projectIds,
    start: end - SUSPECT_LOOKBACK_MS,
    end,
    limit: MAX_CANDIDATES,
  });
  for (const d of recent) found.set(d.id, d);
  for (const { issue } of scope.linked) {
    if (issue.firstSeen >= end - SUSPECT_LOOKBACK_MS) continue;
    const before = await ctx.store.signals.deploys({
      projectIds: [issue.projectId],
      start: issue.firstSeen - SUSPECT_WINDOW_MS,
      end: issue.firstSeen + 1,
      limit: 5,
    });
    for (const d of before) found.set(d.id, d);
  }
  return [...found.values()]
    .filter(inEnvironments(environments))
    .sort((a, b) => b.dateFinished - a.dateFinished || b.id - a.id);
}

async function implications(
  ctx: AppContext,
  scope: TriageScope,
  deploy: DeploySignal,
): Promise<Implication[]> {
  const issues = scope.linked.filter((l) => deploy.projectIds.includes(l.issue.projectId));
  const found: Implication[] = [];
  const older: LinkedIssue[] = [];
  for (const linked of issues) {
    const msAfter = linked.issue.firstSeen - deploy.dateFinished;
    if (msAfter >= 0 && msAfter < SUSPECT_WINDOW_MS) {
      found.push({ issue: linked, reason: 'first_seen', msAfter, before: null, after: null });
    } else if (msAfter < 0) older.push(linked);
  }
  if (older.length === 0) return found;
  // Counts have minute resolution: the minute the deploy finished in holds events from before
  // and after it, so it counts on neither side (a deploy at 16:56:35 after errors at 16:56:11
  // must not be blamed for them). A deploy on a whole minute loses nothing.
  const deployMinute = deploy.dateFinished - (deploy.dateFinished % MINUTE_MS);
  const from = deployMinute === deploy.dateFinished ? deployMinute : deployMinute + MINUTE_MS;
  const until = Math.min(from + SUSPECT_WINDOW_MS, scope.periods.window.end);
  if (until <= from) return found;
  const projectIds = [...new Set(older.map((l) => l.issue.projectId))];
  const [after, before] = await Promise.all([
    ctx.store.signals.issueCounts({ projectIds, start: from, end: until }),
    ctx.store.signals.issueCounts({ projectIds, start: deployMinute - SUSPECT_WINDOW_MS, end: deployMinute }),
  ]);
  const afterMinutes = (until - from) / MINUTE_MS;
  for (const linked of older) {
    const a = after.get(linked.issue.id) ?? 0;
    const b = before.get(linked.issue.id) ?? 0;
    if (rateJumped(a, afterMinutes, b, SUSPECT_WINDOW_MS / MINUTE_MS)) {
      found.push({ issue: linked, reason: 'rate_jump', msAfter: null, before: b, after: a });
    }
  }
  return found;
}

export async function findSuspectDeploy(
  ctx: AppContext,
  scope: TriageScope,
  environments: Set<string>,
): Promise<SuspectDeploy | null> {
  if (scope.linked.length === 0) return null;
  const deploys = await candidateDeploys(ctx, scope, environments);
  const byDeploy = new Map<number, Implication[]>();
  const attributed = new Map<number, number>();
  for (const deploy of deploys) {
    const found = await implications(ctx, scope, deploy);
    byDeploy.set(deploy.id, found);
    for (const { issue } of found) {
      if (!attributed.has(issue.issue.id)) attributed.set(issue.issue.id, deploy.id);
    }
  }
  let best: SuspectDeploy | null = null;
  let bestCount = 0;
  for (const deploy of deploys) {
    const count = [...attributed.values()].filter((id) => id === deploy.id).length;
    if (count > bestCount) {
      best = { deploy, implicated: byDeploy.get(deploy.id) ?? [] };
      bestCount = count;
    }
  }
  return best;
}

/** The release deployed before the suspect one to the same environment (a different version). */
export async function findRollbackTarget(
  ctx: AppContext,
  suspect: DeploySignal,
): Promise<DeploySignal | null> {
  const deploys = await ctx.store.signals.deploys({
    projectIds: suspect.projectIds,
    start: suspect.dateFinished - ROLLBACK_LOOKBACK_MS,
    end: suspect.dateFinished + 1,
    limit: 100,
  });
  return (
    deploys.find(
      (d) => d.id !== suspect.id && d.environment === suspect.environment && d.version !== suspect.version,
    ) ?? null
  );
}
