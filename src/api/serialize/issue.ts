import type { IssueDetail } from '../../issues/get-issue-detail.ts';
import type { IssueView } from '../../issues/issue-views.ts';
import { shortIdOf } from '../../issues/short-id.ts';
import type { Org, Project } from '../../store/types.ts';
import type { StatusDetails } from '../../store/types-issues.ts';
import { isoDate } from './dates.ts';
import { serializeActivity, serializeTagKey } from './issue-activity.ts';

export function serializeProjectRef(project: Project) {
  return { id: String(project.id), name: project.name, slug: project.slug, platform: project.platform };
}

/** Sentry's group serializer shape (the fields sentry-cli and the MCP server read, and their neighbours). */
export function serializeIssue(base: { publicUrl: string; org: Org }, view: IssueView) {
  const { issue, project } = view;
  return {
    id: String(issue.id),
    shareId: null,
    shortId: shortIdOf(project, issue),
    title: issue.title,
    culprit: issue.culprit,
    permalink: `${base.publicUrl}/organizations/${base.org.slug}/issues/${issue.id}/`,
    logger: null,
    level: issue.level,
    status: issue.status,
    statusDetails: serializeStatusDetails(view.statusDetails),
    substatus: view.substatus,
    isPublic: false,
    // Sentry's issue has its first event's platform; an event that named none, the project's.
    platform: issue.platform && issue.platform !== 'other' ? issue.platform : (project.platform ?? 'other'),
    project: serializeProjectRef(project),
    type: issue.type,
    metadata: issue.metadata,
    numComments: view.numComments,
    assignedTo: view.assignedTo,
    isBookmarked: false,
    isSubscribed: false,
    subscriptionDetails: null,
    hasSeen: false,
    annotations: [],
    issueType: 'error',
    issueCategory: 'error',
    isUnhandled: view.isUnhandled,
    count: String(issue.timesSeen),
    userCount: issue.userCount,
    firstSeen: isoDate(issue.firstSeen),
    lastSeen: isoDate(issue.lastSeen),
    firstRelease: issue.firstRelease ? { version: issue.firstRelease } : null,
    lastRelease: issue.lastRelease ? { version: issue.lastRelease } : null,
    ...(Object.keys(view.stats).length > 0 ? { stats: view.stats } : {}),
  };
}

/** Sentry's group details: the issue plus activity, tag keys and the seen-by lists. */
export function serializeIssueDetail(base: { publicUrl: string }, detail: IssueDetail) {
  return {
    ...serializeIssue({ publicUrl: base.publicUrl, org: detail.org }, detail.view),
    activity: detail.activity.map(serializeActivity),
    tags: detail.tags.map((tag) => {
      const { topValues: _top, ...summary } = serializeTagKey(tag);
      return summary;
    }),
    participants: [],
    seenBy: [],
    pluginActions: [],
    pluginContexts: [],
    pluginIssues: [],
    userReportCount: 0,
  };
}

/** The Sentry `statusDetails` object of each status (the stored snapshot counters stay inside). */
export function serializeStatusDetails(details: StatusDetails | null): Record<string, unknown> {
  if (!details) return {};
  if (details.kind === 'resolved') {
    if (details.inNextRelease) return { inNextRelease: true };
    return details.inRelease ? { inRelease: details.inRelease } : {};
  }
  if (details.ignoreUntilEscalating) return { ignoreUntilEscalating: true };
  if (!details.ignoreUntil && !details.ignoreCount && !details.ignoreUserCount) return {};
  return {
    ignoreCount: details.ignoreCount ?? null,
    ignoreUntil: details.ignoreUntil ? isoDate(details.ignoreUntil) : null,
    ignoreUserCount: details.ignoreUserCount ?? null,
    ignoreUserWindow: details.ignoreUserWindow ?? null,
    ignoreWindow: details.ignoreWindow ?? null,
  };
}
