import type { AppContext } from '../context.ts';
import type { DeploySignal } from '../store/types-incidents.ts';
import { linkedEvents, type TriageScope } from './triage-scope.ts';

const DAY_MS = 86_400_000;
/** How far before an issue's first event a deploy is still looked for. */
export const DEPLOY_BEFORE_LOOKBACK_MS = 30 * DAY_MS;
/** The latest deploys listed in the report: at most this many, from this far back. */
export const LATEST_DEPLOYS = 5;
const LATEST_DEPLOYS_LOOKBACK_MS = 7 * DAY_MS;

/**
 * Environments the linked issues' stored events ran in. Deploys to other environments (staging
 * when production is failing) say nothing about the incident; with no events, every one counts.
 */
export async function linkedEnvironments(ctx: AppContext, scope: TriageScope): Promise<Set<string>> {
  if (scope.linked.length === 0) return new Set();
  const { rows } = await ctx.store.events.discover({
    ...linkedEvents(scope, null),
    select: [{ attr: { column: 'environment' } }, { aggregate: { fn: 'count' } }],
    having: [],
    orderBy: [{ index: 1, desc: true }],
    limit: 50,
    offset: 0,
  });
  return new Set(rows.flatMap(([env]) => (typeof env === 'string' ? [env] : [])));
}

export const inEnvironments =
  (environments: Set<string>) =>
  (deploy: DeploySignal): boolean =>
    environments.size === 0 || environments.has(deploy.environment);

export interface DeployBefore {
  deploy: DeploySignal;
  /** How long before the moment the deploy finished. */
  msBefore: number;
}

/** The last deploy of the projects to a relevant environment that finished at or before `at`. */
export async function deployBefore(
  ctx: AppContext,
  projectIds: number[],
  at: number,
  environments: Set<string>,
): Promise<DeployBefore | null> {
  const deploys = await ctx.store.signals.deploys({
    projectIds,
    start: at - DEPLOY_BEFORE_LOOKBACK_MS,
    end: at + 1,
    limit: 50,
  });
  const deploy = deploys.find(inEnvironments(environments));
  return deploy ? { deploy, msBefore: at - deploy.dateFinished } : null;
}

/** The newest deploys of the linked issues' projects to their environments, newest first. */
export async function latestDeploys(
  ctx: AppContext,
  scope: TriageScope,
  environments: Set<string>,
): Promise<DeploySignal[]> {
  if (scope.projectIds.length === 0) return [];
  const end = scope.periods.window.end;
  const deploys = await ctx.store.signals.deploys({
    projectIds: scope.projectIds,
    start: end - LATEST_DEPLOYS_LOOKBACK_MS,
    end,
    limit: 50,
  });
  return deploys.filter(inEnvironments(environments)).slice(0, LATEST_DEPLOYS);
}
