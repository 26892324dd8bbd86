import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { NormalizedEvent } from '../digest/event.ts';
import type { Project } from '../store/types.ts';
import type { DeploySignal, Incident } from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import type { IncidentContext } from './access.ts';
import { type BlastRadius, classifyBlastRadius } from './blast-radius.ts';
import { recentFeatures } from './blast-radius-features.ts';
import { Argument } from './hook-argument.ts';
import { findSuspectCommits, type SuspectCommitMatch } from './suspects-commits.ts';
import { type CorrelatedIssue, findCorrelatedIssues } from './suspects-correlated.ts';
import { findRollbackTarget, findSuspectDeploy, type SuspectDeploy } from './suspects-deploy.ts';
import { countOrgIssues, countUsers, type EventRate, linkedRates, type UserCounts } from './triage-counts.ts';
import { type DeployBefore, deployBefore, latestDeploys, linkedEnvironments } from './triage-deploys.ts';
import { affectedBreakdowns, type Breakdowns } from './triage-dimensions.ts';
import { type CountedEnvironment, countedEnvironment, mitigatedEnvironment } from './triage-environment.ts';
import { latestEvent, type TopFrame, topFrameOf } from './triage-frames.ts';
import { type LinkedIssue, loadTriageScope } from './triage-scope.ts';
import { triageSummary } from './triage-summary.ts';
import type { TriagePeriods } from './triage-windows.ts';

export interface IssueTriage {
  linked: LinkedIssue;
  events: EventRate;
  users: UserCounts;
  affected: Breakdowns;
  /** The deploy that finished last before the issue's first event. */
  deployBefore: DeployBefore | null;
  topFrame: TopFrame | null;
}

export interface TotalTriage {
  events: EventRate;
  users: UserCounts;
  affected: Breakdowns;
  /** The earliest first-seen of the linked issues, and the deploy just before it. */
  firstSeen: number | null;
  deployBefore: DeployBefore | null;
  latestDeploys: DeploySignal[];
  /** The busiest linked issue's top frame. */
  topFrame: (TopFrame & { shortId: string }) | null;
}

export interface TriageReport {
  incident: Incident;
  /** The environment whose events were counted, or every one and why. */
  environment: CountedEnvironment;
  /** The organisation's projects, to name the ones deploys touched. */
  projects: Map<number, Project>;
  generatedAt: number;
  periods: TriagePeriods;
  issues: IssueTriage[];
  total: TotalTriage;
  blastRadius: BlastRadius;
  suspects: {
    deploy: SuspectDeploy | null;
    rollbackTarget: DeploySignal | null;
    commits: SuspectCommitMatch[];
    correlatedIssues: CorrelatedIssue[];
  };
  summary: string;
}

/** `?environment=production` counts that environment's events, whatever the mitigation says. */
export const TriageQuery = z.object({ environment: Argument(64).optional() });
export type TriageQuery = z.infer<typeof TriageQuery>;

/**
 * GET /incidents/{ref}/triage/ — the playbook's phase 1 from live data (`001_…`). `at` evaluates
 * it as of an earlier moment (the post-mortem reads the blast radius as of the mitigation);
 * by default it is now. The numbers count the incident's environment (triage-environment.ts).
 */
export async function getIncidentTriage(
  ctx: AppContext,
  { org, incident, settings }: IncidentContext,
  options: { at?: number; query?: unknown } = {},
): Promise<TriageReport> {
  const query = parseInput(TriageQuery, options.query, 'query');
  const now = options.at ?? ctx.clock.now();
  const scope = await loadTriageScope(ctx, org, incident, now);
  const mitigated = query.environment
    ? null
    : mitigatedEnvironment(await ctx.store.timeline.list(incident.id), now);
  const wanted = query.environment
    ? { name: query.environment, source: 'query' as const }
    : { name: mitigated, source: mitigated === null ? null : ('mitigation' as const) };
  const { environment, countIn } = await countedEnvironment(
    ctx,
    { orgId: org.id, projectIds: scope.projectIds, issueIds: scope.linked.map((l) => l.issue.id) },
    wanted,
    scope.periods.recent,
  );
  scope.environment = environment.name;
  const counts = await countOrgIssues(ctx, scope);
  const rates = linkedRates(
    scope,
    environment.name === null
      ? counts
      : { window: await countIn(scope.periods.window), baseline: await countIn(scope.periods.baseline) },
  );
  const users = await countUsers(ctx, scope);
  const affected = await affectedBreakdowns(ctx, scope);
  const environments = await linkedEnvironments(ctx, scope);

  const latest = new Map<number, { eventId: string; event: NormalizedEvent }>();
  const issues: IssueTriage[] = [];
  for (const linked of scope.linked) {
    const { issue } = linked;
    const found = await latestEvent(ctx, issue.id, environment.name);
    if (found) latest.set(issue.id, found);
    issues.push({
      linked,
      events: rates.perIssue.get(issue.id)!,
      users: users.perIssue.get(issue.id)!,
      affected: affected.perIssue.get(issue.id)!,
      deployBefore: await deployBefore(ctx, [issue.projectId], issue.firstSeen, environments),
      topFrame: found ? topFrameOf(found.eventId, found.event) : null,
    });
  }

  const earliest = scope.linked.reduce<LinkedIssue | null>(
    (first, l) => (first === null || l.issue.firstSeen < first.issue.firstSeen ? l : first),
    null,
  );
  const busiest = [...issues]
    .filter((i) => i.topFrame !== null)
    .sort((a, b) => b.events.window + b.events.baseline - (a.events.window + a.events.baseline))[0];
  const total: TotalTriage = {
    events: rates.total,
    users: users.total,
    affected: affected.total,
    firstSeen: earliest?.issue.firstSeen ?? null,
    deployBefore: earliest
      ? await deployBefore(ctx, scope.projectIds, earliest.issue.firstSeen, environments)
      : null,
    latestDeploys: await latestDeploys(ctx, scope, environments),
    topFrame: busiest?.topFrame ? { ...busiest.topFrame, shortId: busiest.linked.shortId } : null,
  };

  const blastRadius = classifyBlastRadius({
    events: rates.total.window + rates.total.baseline,
    users: users.total.recent,
    features: await recentFeatures(ctx, scope, settings.componentTag),
  });

  const deploy = await findSuspectDeploy(ctx, scope, environments);
  const rollbackTarget = deploy ? await findRollbackTarget(ctx, deploy.deploy) : null;
  const commits = deploy
    ? await findSuspectCommits(
        ctx,
        org.id,
        deploy.deploy.version,
        deploy.implicated.flatMap(({ issue }) => {
          const found = latest.get(issue.issue.id);
          return found ? [{ shortId: issue.shortId, event: found.event }] : [];
        }),
      )
    : [];
  const correlatedIssues = await findCorrelatedIssues(ctx, scope, counts);

  return {
    incident,
    environment,
    projects: scope.orgProjects,
    generatedAt: now,
    periods: scope.periods,
    issues,
    total,
    blastRadius,
    suspects: { deploy, rollbackTarget, commits, correlatedIssues },
    summary: triageSummary({
      blast: blastRadius,
      events: rates.total,
      suspect: deploy,
      rollbackTarget,
      environment: environment.name,
    }),
  };
}
