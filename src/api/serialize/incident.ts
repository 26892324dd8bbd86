import type { TimelineEntryView } from '../../incidents/timeline.ts';
import type { IncidentView } from '../../incidents/view.ts';
import type { Issue, Project } from '../../store/types.ts';
import type { TimelineEdit } from '../../store/types-incidents.ts';
import { isoDate } from './dates.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : isoDate(ms));

/** An incident as the API shows it: string ids, RFC 3339 dates, milestones and what is overdue. */
export function serializeIncident(view: IncidentView) {
  const { incident } = view;
  return {
    id: String(incident.id),
    ref: `INC-${incident.number}`,
    number: incident.number,
    title: incident.title,
    severity: incident.severity,
    severityDetails: view.severity,
    status: incident.status,
    version: incident.version,
    services: incident.services,
    ticketUrl: incident.ticketUrl,
    channelUrl: incident.channelUrl,
    rootCause: incident.rootCause,
    detectionSource: incident.detectionSource,
    resolutionOverride: incident.resolutionOverride,
    milestones: {
      firstEvent: iso(incident.firstEventAt),
      detected: iso(incident.detectedAt),
      declared: isoDate(incident.declaredAt),
      acknowledged: iso(incident.acknowledgedAt),
      mitigated: iso(incident.mitigatedAt),
      resolved: iso(incident.resolvedAt),
    },
    durations: view.durations,
    response: { dueAt: iso(view.responseDueAt), overdue: view.responseOverdue },
    update: {
      lastAt: iso(incident.lastUpdateAt),
      nextDue: iso(incident.nextUpdateDueAt),
      overdue: view.updateOverdue,
    },
    roles: view.roles.map((r) => ({
      role: r.role,
      name: r.name,
      assignedAt: isoDate(r.assignedAt),
      user: r.user ? { id: String(r.user.id), email: r.user.email, name: r.user.name } : null,
    })),
    issues: view.issues.map(({ issue, project, shortId }) => serializeIssueRef(issue, project, shortId)),
    createdBy: incident.createdBy,
    dateCreated: isoDate(incident.declaredAt),
    dateUpdated: isoDate(incident.updatedAt),
  };
}

export function serializeTimelineEntry(entry: TimelineEntryView & { edits?: TimelineEdit[] }) {
  return {
    id: String(entry.id),
    kind: entry.kind,
    body: entry.body,
    data: entry.data,
    actor: entry.actor,
    actorName: entry.actorName,
    occurredAt: isoDate(entry.occurredAt),
    dateCreated: isoDate(entry.createdAt),
    starred: entry.starred,
    edited: entry.editedAt !== null,
    editedAt: iso(entry.editedAt),
    ...(entry.edits
      ? {
          edits: entry.edits.map((e) => ({
            previousBody: e.previousBody,
            actor: e.actor,
            editedAt: isoDate(e.editedAt),
          })),
        }
      : {}),
  };
}

/** A linked or related issue inside incident answers: enough to show it and find it. */
export function serializeIssueRef(issue: Issue, project: Project, shortId: string) {
  return {
    id: String(issue.id),
    shortId,
    title: issue.title,
    culprit: issue.culprit,
    status: issue.status,
    count: String(issue.timesSeen),
    userCount: issue.userCount,
    firstSeen: isoDate(issue.firstSeen),
    lastSeen: isoDate(issue.lastSeen),
    project: { id: String(project.id), slug: project.slug },
  };
}
