import type { AppContext } from '../context.ts';
import type { IncidentContext } from '../incidents/access.ts';
import { formatIncidentRef } from '../incidents/access.ts';
import { type BlastRadius, CLASS_PHRASES } from '../incidents/blast-radius.ts';
import { NO_REPLIES, shownEntry } from '../incidents/hook-result-shown.ts';
import { severityOf } from '../incidents/settings.ts';
import { incidentStart, syncTimeline, withActorNames } from '../incidents/timeline.ts';
import { getIncidentTriage } from '../incidents/triage.ts';
import { mitigatedEnvironment } from '../incidents/triage-environment.ts';
import { loadTriageScope } from '../incidents/triage-scope.ts';
import { computeVerification } from '../incidents/verify.ts';
import type { Verdict } from '../incidents/verify-verdict.ts';
import type { Incident } from '../store/types-incidents.ts';
import { type ChartData, chartData, DEPLOY_REACH_MINUTES } from './chart-data.ts';
import { type Impact, measureImpact } from './facts-impact.ts';
import { type TimelineRow, timelineRows } from './facts-timeline.ts';

/**
 * The data parts of a post-mortem, computed from the incident's own data when it is generated
 * and stored with it (the document does not shift under its readers; regenerating refreshes it).
 * Times are epoch ms; `schema` lets a later version read older documents.
 */
export interface PostmortemFacts {
  schema: 1;
  generatedAt: number;
  /** The incident's version when generated (view.ts tells staleness from the fields themselves). */
  incidentVersion: number;
  incident: Omit<Incident, 'id' | 'orgId' | 'version' | 'issueIds' | 'roles' | 'createdBy' | 'updatedAt'> & {
    ref: string;
  };
  impact: Impact;
  /** The severity's response target (minutes to acknowledge; null: next business day). */
  responseTargetMinutes: number | null;
  /** The blast radius as of `at` (the mitigation, else the resolution, else generation). */
  blast: {
    at: number;
    class: BlastRadius['class'];
    phrase: string;
    users: number;
    usersKnown: boolean;
    events: number;
    features: { dimension: string; names: { name: string; count: number }[] };
    organizations: number;
  };
  /** The linked issues' rate before the incident, before the mitigation and after it, as verified at `at`. */
  rates: {
    at: number;
    verdict: Verdict;
    baselinePerMinute: number | null;
    duringPerMinute: number | null;
    afterPerMinute: number | null;
    baselineMinutes: number;
    afterMinutes: number | null;
  };
  mitigations: {
    at: number;
    type: string;
    release: string | null;
    environment: string | null;
    text: string;
  }[];
  suspects: {
    deploy: { version: string; environment: string; finishedAt: number; reasons: string[] } | null;
    rollbackTarget: { version: string; environment: string; finishedAt: number } | null;
    commits: { sha: string; message: string | null; author: string | null; files: string[] }[];
  };
  timeline: TimelineRow[];
  chart: ChartData;
}

const MINUTE_MS = 60_000;
const fixedClock = (ctx: AppContext, at: number): AppContext => ({ ...ctx, clock: { now: () => at } });

export async function gatherFacts(ctx: AppContext, loaded: IncidentContext): Promise<PostmortemFacts> {
  const { org, incident, settings } = loaded;
  const now = ctx.clock.now();
  await syncTimeline(ctx, incident);
  // A post-mortem is read widely: a hook's reply is never in it, only its status.
  const entries = (await ctx.store.timeline.list(incident.id)).map((e) => shownEntry(e, NO_REPLIES));
  const scope = await loadTriageScope(ctx, org, incident, now);
  const start = incidentStart(incident);
  const end = incident.resolvedAt ?? now;
  // Counted in the environment the incident was mitigated in, as its verification is.
  const mitigatedIn = mitigatedEnvironment(entries, end);
  const impact = await measureImpact(ctx, incident, scope.linked, { start, end, mitigatedIn });

  const blastAt = incident.mitigatedAt ?? end;
  // The same environment as the impact: at the first mitigation a later one's was not known yet.
  const triage = await getIncidentTriage(ctx, loaded, {
    at: blastAt,
    query: mitigatedIn === null ? {} : { environment: mitigatedIn },
  });
  // Verified as of the resolution: what the rate did after the mitigation while the incident ran.
  const verification = await computeVerification(
    fixedClock(ctx, end),
    incident,
    settings,
    entries.filter((e) => e.occurredAt <= end),
  );
  const deploys = await ctx.store.signals.deploys({
    projectIds: scope.projectIds,
    start: start - DEPLOY_REACH_MINUTES * MINUTE_MS,
    end: end + 1,
    limit: 20,
  });
  const { deploy, rollbackTarget, commits } = triage.suspects;
  const { blastRadius } = triage;
  const {
    id: _id,
    orgId: _org,
    version,
    issueIds: _i,
    roles: _r,
    createdBy: _c,
    updatedAt: _u,
    ...fields
  } = incident;
  return {
    schema: 1,
    generatedAt: now,
    incidentVersion: version,
    incident: { ...fields, ref: formatIncidentRef(incident) },
    impact,
    responseTargetMinutes: severityOf(settings, incident.severity)?.responseMinutes ?? null,
    blast: {
      at: blastAt,
      class: blastRadius.class,
      phrase: CLASS_PHRASES[blastRadius.class],
      users: blastRadius.users,
      usersKnown: blastRadius.usersKnown,
      events: blastRadius.events,
      features: {
        dimension: blastRadius.features.dimension,
        names: blastRadius.features.names.map((f) => ({ name: f.name, count: f.count })),
      },
      organizations: triage.total.affected.organizations.distinct,
    },
    rates: {
      at: end,
      verdict: verification.verdict,
      baselinePerMinute: verification.baseline.perMinute,
      duringPerMinute: verification.mitigation ? verification.during.perMinute : null,
      afterPerMinute: verification.after?.perMinute ?? null,
      baselineMinutes: verification.baseline.minutes,
      afterMinutes: verification.after?.minutes ?? null,
    },
    mitigations: entries
      .filter((e) => e.kind === 'mitigation')
      .map((e) => ({
        at: e.occurredAt,
        type: String(e.data.type ?? 'other'),
        release: typeof e.data.release === 'string' ? e.data.release : null,
        environment: typeof e.data.environment === 'string' ? e.data.environment : null,
        text: e.body,
      })),
    suspects: {
      deploy: deploy
        ? {
            version: deploy.deploy.version,
            environment: deploy.deploy.environment,
            finishedAt: deploy.deploy.dateFinished,
            reasons: deploy.implicated.map(
              (i) =>
                `${i.issue.shortId} ${i.reason === 'first_seen' ? 'first seen after it' : 'jumped after it'}`,
            ),
          }
        : null,
      rollbackTarget: rollbackTarget
        ? {
            version: rollbackTarget.version,
            environment: rollbackTarget.environment,
            finishedAt: rollbackTarget.dateFinished,
          }
        : null,
      commits: commits.map((c) => ({
        sha: c.commit.sha,
        message: c.commit.message,
        author: c.commit.authorName ?? c.commit.authorEmail,
        files: c.files,
      })),
    },
    timeline: timelineRows(incident, await withActorNames(ctx, entries)),
    chart: await chartData(ctx, incident, scope.linked, entries, deploys, { start, end, now }),
  };
}
