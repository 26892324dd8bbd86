import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { shortIdOf } from '../issues/short-id.ts';
import type { Issue, Project } from '../store/types.ts';
import type { Incident, TimelineEntry } from '../store/types-incidents.ts';
import type { IncidentContext } from './access.ts';
import { latestMitigation } from './mitigate.ts';
import type { IncidentSettings } from './settings.ts';
import { incidentStart } from './timeline.ts';
import { MINUTE_MS } from './timestamps.ts';
import { verificationCounter } from './verify-counts.ts';
import { verificationRecord, verificationSummary } from './verify-record.ts';
import { perMinute, type Verdict, verdictOf, type WindowCount } from './verify-verdict.ts';

const BASELINE_MINUTES = 60;

export interface RateWindow extends WindowCount {
  start: number;
  end: number;
  perMinute: number | null;
}

export interface IssueRates {
  issueId: number;
  shortId: string;
  title: string;
  project: string;
  projectId: number;
  userCount: number;
  counts: { baseline: number; during: number; after: number | null; recent: number };
}

/** One verification, computed from the minute buckets; see verify-verdict.ts for the rules. */
export interface Verification {
  verdict: Verdict;
  reason: string;
  /**
   * The environment whose events were counted: the mitigation's, while its events are all
   * stored (verify-counts.ts); null, every environment.
   */
  environment: string | null;
  computedAt: number;
  holdMinutes: number;
  incidentStart: number;
  mitigation: { entryId: number; type: string; release: string | null; occurredAt: number } | null;
  baseline: RateWindow;
  during: RateWindow;
  after: RateWindow | null;
  recent: RateWindow;
  /** The earliest moment a "resolved" verdict is possible (mitigation + hold window). */
  holdEndsAt: number | null;
  issues: IssueRates[];
}

const floorMinute = (t: number): number => t - (((t % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);
const ceilMinute = (t: number): number => floorMinute(t + MINUTE_MS - 1);

/** Computes the verification now, for the incident's linked issues. */
export async function computeVerification(
  ctx: AppContext,
  incident: Incident,
  settings: IncidentSettings,
  entries?: TimelineEntry[],
): Promise<Verification> {
  const now = ctx.clock.now();
  const hold = settings.holdMinutes;
  const timeline = entries ?? (await ctx.store.timeline.list(incident.id));
  const mitigation = latestMitigation(timeline);
  const start = incidentStart(incident);
  const s0 = floorMinute(start);
  const n0 = Math.max(floorMinute(now), s0);
  const span = (a: number, b: number) => ({ start: a, end: Math.max(a, b) });

  const baselineSpan = span(s0 - BASELINE_MINUTES * MINUTE_MS, s0);
  let duringSpan = span(s0, n0);
  let afterSpan: { start: number; end: number } | null = null;
  let recentSpan = span(Math.max(s0, n0 - hold * MINUTE_MS), n0);
  if (mitigation) {
    const afterStart = Math.max(ceilMinute(mitigation.occurredAt), s0);
    duringSpan = span(s0, Math.max(s0, floorMinute(mitigation.occurredAt)));
    afterSpan = span(afterStart, n0);
    recentSpan = span(Math.max(afterStart, n0 - hold * MINUTE_MS), Math.max(afterStart, n0));
  }

  const issues = await linkedIssues(ctx, incident);
  const projectIds = [...new Set(issues.map((i) => i.issue.projectId))];
  const mitigatedIn = mitigation
    ? ((mitigation.data.environment as string | null | undefined) ?? null)
    : null;
  const { countIn, environment } = await verificationCounter(
    ctx,
    { orgId: incident.orgId, projectIds, issueIds: issues.map(({ issue }) => issue.id) },
    mitigatedIn,
    span(baselineSpan.start, n0),
  );
  const [baseline, during, after, recent] = await Promise.all([
    countIn(baselineSpan),
    countIn(duringSpan),
    afterSpan ? countIn(afterSpan) : Promise.resolve(null),
    countIn(recentSpan),
  ]);
  const windowOf = (s: { start: number; end: number }, counts: Map<number, number>): RateWindow => {
    const window = { minutes: (s.end - s.start) / MINUTE_MS, count: sum(counts) };
    return { ...s, ...window, perMinute: perMinute(window) };
  };
  const windows = {
    baseline: windowOf(baselineSpan, baseline),
    during: windowOf(duringSpan, during),
    after: afterSpan && after ? windowOf(afterSpan, after) : null,
    recent: windowOf(recentSpan, recent),
  };
  const { verdict, reason } =
    issues.length === 0
      ? {
          verdict: 'no_data' as const,
          reason: 'no linked issues to measure; link the issues that show the incident',
        }
      : verdictOf({
          ...windows,
          during: mitigation ? windows.during : null,
          holdMinutes: hold,
        });
  return {
    verdict,
    reason,
    environment,
    computedAt: now,
    holdMinutes: hold,
    incidentStart: start,
    mitigation: mitigation
      ? {
          entryId: mitigation.id,
          type: String(mitigation.data.type ?? 'other'),
          release: (mitigation.data.release as string | null) ?? null,
          occurredAt: mitigation.occurredAt,
        }
      : null,
    ...windows,
    holdEndsAt: afterSpan ? afterSpan.start + hold * MINUTE_MS : null,
    issues: issues.map(({ issue, project }) => ({
      issueId: issue.id,
      shortId: shortIdOf(project, issue),
      title: issue.title,
      project: project.slug,
      projectId: project.id,
      userCount: issue.userCount,
      counts: {
        baseline: baseline.get(issue.id) ?? 0,
        during: during.get(issue.id) ?? 0,
        after: after ? (after.get(issue.id) ?? 0) : null,
        recent: recent.get(issue.id) ?? 0,
      },
    })),
  };
}

const sum = (counts: Map<number, number>): number => [...counts.values()].reduce((a, b) => a + b, 0);

async function linkedIssues(
  ctx: AppContext,
  incident: Incident,
): Promise<{ issue: Issue; project: Project }[]> {
  const found: { issue: Issue; project: Project }[] = [];
  for (const id of incident.issueIds) {
    const issue = await ctx.store.issues.getById(id);
    const project = issue ? await ctx.store.projects.getById(issue.projectId) : null;
    if (issue && project) found.push({ issue, project });
  }
  return found;
}

/** Writes a `verification` entry; `dedupeKey` lets concurrent background checks write it once. */
export async function recordVerification(
  ctx: AppContext,
  incident: Incident,
  v: Verification,
  actor: string,
  dedupeKey?: string,
): Promise<TimelineEntry | null> {
  const [entry] = await ctx.store.timeline.add(
    incident.id,
    [
      {
        kind: 'verification',
        body: verificationSummary(v),
        data: verificationRecord(v),
        actor,
        occurredAt: v.computedAt,
        dedupeKey,
      },
    ],
    v.computedAt,
  );
  return entry ?? null;
}

/** POST /incidents/{ref}/verify/ — computes now and records it on the timeline. */
export async function verifyIncident(
  ctx: AppContext,
  principal: Principal,
  { incident, settings }: IncidentContext,
): Promise<{ verification: Verification; entry: TimelineEntry | null }> {
  const verification = await computeVerification(ctx, incident, settings);
  return { verification, entry: await recordVerification(ctx, incident, verification, principal.actor) };
}

/** GET /incidents/{ref}/verification/ — computed fresh, with the last recorded verdict beside it. */
export async function getVerification(
  ctx: AppContext,
  { incident, settings }: IncidentContext,
): Promise<{ verification: Verification; lastRecorded: TimelineEntry | null }> {
  const entries = await ctx.store.timeline.list(incident.id);
  return {
    verification: await computeVerification(ctx, incident, settings, entries),
    lastRecorded: entries.findLast((e) => e.kind === 'verification') ?? null,
  };
}
