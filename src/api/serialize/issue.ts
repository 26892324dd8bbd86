import type { Issue, Org, Project } from '../../store/types.ts';
import { isoDate } from './dates.ts';

export function shortIdOf(project: Project, issue: Issue): string {
  return `${project.slug.toUpperCase()}-${issue.shortIdNumber}`;
}

export function serializeProjectRef(project: Project) {
  return { id: String(project.id), name: project.name, slug: project.slug, platform: project.platform };
}

/** Sentry's group serializer shape (the fields sentry-cli and the MCP server read, and their neighbours). */
export function serializeIssue(
  base: { publicUrl: string; org: Org; project: Project },
  issue: Issue,
  stats?: { period: string; series: [number, number][] },
) {
  return {
    id: String(issue.id),
    shareId: null,
    shortId: shortIdOf(base.project, issue),
    title: issue.title,
    culprit: issue.culprit,
    permalink: `${base.publicUrl}/organizations/${base.org.slug}/issues/${issue.id}/`,
    logger: null,
    level: issue.level,
    status: issue.status,
    statusDetails: {},
    substatus: issue.substatus,
    isPublic: false,
    platform: base.project.platform ?? 'other',
    project: serializeProjectRef(base.project),
    type: issue.type,
    metadata: issue.metadata,
    numComments: 0,
    assignedTo: null,
    isBookmarked: false,
    isSubscribed: false,
    subscriptionDetails: null,
    hasSeen: false,
    annotations: [],
    issueType: 'error',
    issueCategory: 'error',
    isUnhandled: false,
    count: String(issue.timesSeen),
    userCount: issue.userCount,
    firstSeen: isoDate(issue.firstSeen),
    lastSeen: isoDate(issue.lastSeen),
    firstRelease: issue.firstRelease ? { version: issue.firstRelease } : null,
    lastRelease: issue.lastRelease ? { version: issue.lastRelease } : null,
    ...(stats?.period ? { stats: { [stats.period]: stats.series } } : {}),
  };
}
