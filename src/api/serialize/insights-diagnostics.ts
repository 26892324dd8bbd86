import type { ProjectDiagnostics } from '../../diagnostics/project-diagnostics.ts';
import { formatTag } from '../../runbooks/schemas.ts';
import { isoDate } from './dates.ts';
import { serializeIncidentRef } from './insights-memory.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : isoDate(ms));

export function serializeDiagnostics(report: ProjectDiagnostics) {
  const { scope, issues, changes } = report;
  return {
    project: { id: String(scope.project.id), slug: scope.project.slug },
    generatedAt: isoDate(scope.now),
    window: { start: isoDate(scope.window.start), end: isoDate(scope.window.end), minutes: scope.minutes },
    previousWindow: { start: isoDate(scope.previous.start), end: isoDate(scope.previous.end) },
    events: issues.total,
    topIssues: issues.top.map((r) => ({
      id: String(r.issue.id),
      shortId: r.shortId,
      title: r.issue.title,
      culprit: r.issue.culprit,
      level: r.issue.level,
      status: r.issue.status,
      events: r.events,
      previous: r.previous,
      perMinute: r.perMinute,
      ratio: r.ratio,
      users: r.users,
      isNew: r.isNew,
      firstSeen: isoDate(r.issue.firstSeen),
      lastSeen: isoDate(r.issue.lastSeen),
      lastRelease: r.issue.lastRelease,
    })),
    newIssues: issues.newIssues.map((i) => ({ ...i, firstSeen: isoDate(i.firstSeen) })),
    topFrames: report.frames,
    users: report.users,
    releases: changes.releases.map(({ release, newIssues, events }) => ({
      version: release.version,
      dateCreated: isoDate(release.dateCreated),
      firstEvent: iso(release.firstEvent),
      lastEvent: iso(release.lastEvent),
      newIssues,
      eventsInWindow: events,
      lastDeploy: release.lastDeploy
        ? {
            environment: release.lastDeploy.environment,
            dateFinished: isoDate(release.lastDeploy.dateFinished),
          }
        : null,
    })),
    deploys: changes.deploys.map(({ deploy, inWindow }) => ({
      id: String(deploy.id),
      version: deploy.version,
      environment: deploy.environment,
      dateFinished: isoDate(deploy.dateFinished),
      inWindow,
    })),
    eventsByRelease: changes.eventsByRelease,
    eventsByEnvironment: changes.eventsByEnvironment,
    openIncidents: report.openIncidents?.map(serializeIncidentRef) ?? null,
    runbooks:
      report.runbooks?.map((r) => ({ id: String(r.id), title: r.title, tags: r.tags.map(formatTag) })) ??
      null,
    omitted: report.omitted,
  };
}
