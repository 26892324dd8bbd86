import { FEATURE_MIN_SHARE } from '../../incidents/blast-radius-features.ts';
import type { SuspectCommitMatch } from '../../incidents/suspects-commits.ts';
import type { SuspectDeploy } from '../../incidents/suspects-deploy.ts';
import type { IssueTriage, TriageReport } from '../../incidents/triage.ts';
import type { EventRate, UserCounts } from '../../incidents/triage-counts.ts';
import type { DeployBefore } from '../../incidents/triage-deploys.ts';
import type { Breakdowns } from '../../incidents/triage-dimensions.ts';
import type { TopFrame } from '../../incidents/triage-frames.ts';
import type { Period } from '../../incidents/triage-windows.ts';
import type { Project } from '../../store/types.ts';
import type { DeploySignal } from '../../store/types-incidents.ts';
import { isoDate } from './dates.ts';
import { serializeIssueRef } from './incident.ts';

const MINUTE_MS = 60_000;
const minutes = (ms: number) => Math.round((ms / MINUTE_MS) * 10) / 10;
const period = (p: Period) => ({
  minutes: (p.end - p.start) / MINUTE_MS,
  start: isoDate(p.start),
  end: isoDate(p.end),
});

const events = (rate: EventRate) => ({ ...rate });
const users = (counts: UserCounts) => ({ ...counts });

const affected = (b: Breakdowns) =>
  Object.fromEntries(
    Object.entries(b).map(([name, breakdown]) => [
      name,
      {
        values: breakdown.values.map((v) => ({ value: v.value, count: v.count })),
        distinct: breakdown.distinct,
        events: breakdown.events,
        sources: breakdown.sources,
        truncated: breakdown.truncated,
      },
    ]),
  );

function deployOf(deploy: DeploySignal, projects: Map<number, Project>) {
  return {
    id: String(deploy.id),
    version: deploy.version,
    environment: deploy.environment,
    dateFinished: isoDate(deploy.dateFinished),
    projects: deploy.projectIds.flatMap((id) => {
      const slug = projects.get(id)?.slug;
      return slug ? [slug] : [];
    }),
  };
}

const deployBefore = (found: DeployBefore | null, projects: Map<number, Project>) =>
  found ? { ...deployOf(found.deploy, projects), minutesBefore: minutes(found.msBefore) } : null;

const frame = (f: TopFrame | null) => (f ? { ...f } : null);

function suspectDeploy(suspect: SuspectDeploy | null, projects: Map<number, Project>) {
  if (!suspect) return null;
  return {
    ...deployOf(suspect.deploy, projects),
    implicatedIssues: suspect.implicated.map((i) => ({
      id: String(i.issue.issue.id),
      shortId: i.issue.shortId,
      reason: i.reason,
      minutesAfter: i.msAfter === null ? null : minutes(i.msAfter),
      eventsBefore: i.before,
      eventsAfter: i.after,
    })),
  };
}

const commit = (match: SuspectCommitMatch) => ({
  id: match.commit.sha,
  repository: match.commit.repository.name,
  message: match.commit.message,
  author: { name: match.commit.authorName, email: match.commit.authorEmail },
  dateCreated: isoDate(match.commit.dateCreated),
  score: match.score,
  files: match.files,
  issues: match.issues,
});

function issue(triage: IssueTriage, projects: Map<number, Project>) {
  const { issue, project, shortId } = triage.linked;
  return {
    ...serializeIssueRef(issue, project, shortId),
    events: events(triage.events),
    users: users(triage.users),
    affected: affected(triage.affected),
    deployBeforeFirstSeen: deployBefore(triage.deployBefore, projects),
    topFrame: frame(triage.topFrame),
  };
}

/** The triage report as the API shows it: string ids, RFC 3339 dates, minutes as numbers. */
export function serializeIncidentTriage(report: TriageReport) {
  const { projects, total, blastRadius, suspects } = report;
  return {
    incident: { id: String(report.incident.id), ref: `INC-${report.incident.number}` },
    generatedAt: isoDate(report.generatedAt),
    environment: { ...report.environment },
    window: period(report.periods.window),
    baseline: period(report.periods.baseline),
    summary: report.summary,
    issues: report.issues.map((i) => issue(i, projects)),
    total: {
      events: events(total.events),
      users: users(total.users),
      affected: affected(total.affected),
      firstSeen: total.firstSeen === null ? null : isoDate(total.firstSeen),
      deployBeforeFirstSeen: deployBefore(total.deployBefore, projects),
      latestDeploys: total.latestDeploys.map((d) => deployOf(d, projects)),
      topFrame: total.topFrame ? { ...total.topFrame } : null,
    },
    blastRadius: {
      class: blastRadius.class,
      recommendation: blastRadius.recommendation,
      reason: blastRadius.reason,
      period: period(report.periods.recent),
      events: blastRadius.events,
      users: blastRadius.users,
      usersKnown: blastRadius.usersKnown,
      features: {
        dimension: blastRadius.features.dimension,
        componentTag: blastRadius.features.componentTag,
        minShare: FEATURE_MIN_SHARE,
        events: blastRadius.features.events,
        distinct: blastRadius.features.distinct,
        names: blastRadius.features.names,
        ignored: blastRadius.features.ignored,
      },
    },
    suspects: {
      deploy: suspectDeploy(suspects.deploy, projects),
      rollbackTarget: suspects.rollbackTarget
        ? {
            version: suspects.rollbackTarget.version,
            environment: suspects.rollbackTarget.environment,
            deployedAt: isoDate(suspects.rollbackTarget.dateFinished),
            deployId: String(suspects.rollbackTarget.id),
          }
        : null,
      commits: suspects.commits.map(commit),
      correlatedIssues: suspects.correlatedIssues.map((c) => ({
        ...serializeIssueRef(c.issue, c.project, c.shortId),
        events: events(c.events),
      })),
    },
  };
}
