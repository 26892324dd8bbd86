import { startTicker } from '../background/ticker.ts';
import { yieldToEventLoop } from '../background/yield.ts';
import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import type { AlertFiring, AlertRule, DetectorKind } from '../store/types-alerts.ts';
import { DAY, HOUR, MINUTE } from './baseline.ts';
import { ensureDefaultRules } from './defaults.ts';
import { detectAfterDeploy } from './detect-deploy.ts';
import { detectNewIssues, detectRegressions, detectUsers } from './detect-issues.ts';
import { detectReleaseHealth } from './detect-release.ts';
import { detectSpikes } from './detect-spike.ts';
import { fireCandidate, firingKey } from './fire.ts';
import { type Candidate, createProjectScan, type ProjectScan } from './scan.ts';

/** The shared scan position: where the last pass (of any node) got to. */
export const POSITION = 'detectors';
/** The first pass ever looks this far back. */
const FIRST_LOOKBACK_MS = 5 * MINUTE;
/** After a pause (no node running), the pass catches up at most this far. */
const MAX_CATCH_UP_MS = 60 * MINUTE;
/** Sessions are accepted up to 5 days old (Relay's max_session_secs_in_past). */
const SESSION_MEMORY_MS = 5 * DAY;

const DETECTORS: Record<DetectorKind, (scan: ProjectScan, rules: AlertRule[]) => Promise<Candidate[]>> = {
  new_issue: detectNewIssues,
  regression: detectRegressions,
  spike: detectSpikes,
  deploy: detectAfterDeploy,
  users: detectUsers,
  release_health: detectReleaseHealth,
};

export interface DetectorTickResult {
  from: number;
  now: number;
  rules: number;
  candidates: number;
  /** Candidates whose firing some pass claimed before (the lookback sees a condition again). */
  alreadyFired: number;
  fired: AlertFiring[];
  failed: number;
}

/**
 * One pass: default rules for new projects, then every enabled rule evaluated over the range
 * since the shared position (minute by minute for spikes), and each condition met claimed as a
 * firing. Several nodes may run passes over the same range: the firing keys make each fire once.
 */
export async function tickDetectors(ctx: AppContext): Promise<DetectorTickResult> {
  // Rates and tag counts of every acknowledged event (docs/decisions/0009-deferred-counters.md).
  await ctx.committer.writeOpenWindowsGently();
  const now = ctx.clock.now();
  await ensureDefaultRules(ctx, now);
  const position = await ctx.store.detectorPositions.get(POSITION);
  const from = Math.min(now, Math.max(position ?? now - FIRST_LOOKBACK_MS, now - MAX_CATCH_UP_MS));
  const rules = await ctx.store.alertRules.listEnabled();
  const result: DetectorTickResult = {
    from,
    now,
    rules: rules.length,
    candidates: 0,
    alreadyFired: 0,
    fired: [],
    failed: 0,
  };
  const orgs = new Map<number, Org | null>();
  for (const [projectId, projectRules] of groupBy(rules, (rule) => rule.projectId)) {
    const project = await ctx.store.projects.getById(projectId);
    if (!project) continue;
    if (!orgs.has(project.orgId)) orgs.set(project.orgId, await ctx.store.orgs.getById(project.orgId));
    const org = orgs.get(project.orgId);
    if (!org) continue;
    const scan = createProjectScan(ctx, org, project, from, now);
    for (const [detector, detectorRules] of groupBy(projectRules, (rule) => rule.detector)) {
      try {
        await yieldToEventLoop();
        const candidates = await DETECTORS[detector](scan, detectorRules);
        result.candidates += candidates.length;
        // Every pass looks an hour back, so most candidates fired on an earlier pass: one read
        // finds those, instead of a claim (a write transaction) each that would be refused.
        const claimed = await ctx.store.alertFirings.claimedKeys(candidates.map(firingKey));
        const fresh = candidates.filter((candidate) => !claimed.has(firingKey(candidate)));
        result.alreadyFired += candidates.length - fresh.length;
        for (const candidate of fresh) {
          await yieldToEventLoop();
          const fired = await fireCandidate(scan, candidate);
          if (fired) result.fired.push(fired);
        }
      } catch (error) {
        // One broken project or rule must not stop the others from being evaluated.
        result.failed++;
        ctx.logger.error({ err: error, projectId, detector }, 'detector failed');
      }
    }
  }
  if (position === null || Math.floor(position / HOUR) !== Math.floor(now / HOUR)) {
    await ctx.store.releaseHealth.prune(now - SESSION_MEMORY_MS);
  }
  await ctx.store.detectorPositions.advance(POSITION, now);
  return result;
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key) ?? [];
    list.push(item);
    out.set(key, list);
  }
  return out;
}

/** Runs tickDetectors every `detectorTickSeconds` (0: never); stop waits for a pass in progress. */
export function startDetectorTicker(ctx: AppContext): () => Promise<void> {
  return startTicker(ctx.logger, {
    seconds: ctx.config.detectorTickSeconds,
    failure: 'detector tick failed',
    pass: () => tickDetectors(ctx),
  });
}
