import type { ProjectView } from '../../projects/project-view.ts';
import type { Org } from '../../store/types.ts';
import type { Team } from '../../store/types-accounts.ts';
import { isoDate } from './dates.ts';
import { serializeOrg } from './org.ts';

/** `{id, slug, name}`: how a team appears inside a project. */
export function serializeTeamRef(team: Team) {
  return { id: String(team.id), slug: team.slug, name: team.name };
}

/**
 * Sentry's project serializer (sentry-cli needs `id` as a string, `slug`, `name`; `team` is the
 * first team or null). Firebreak's retention settings ride along as extra fields.
 */
export function serializeProject(view: ProjectView) {
  const { project, teams } = view;
  return {
    id: String(project.id),
    slug: project.slug,
    name: project.name,
    platform: project.platform,
    dateCreated: isoDate(project.createdAt),
    isBookmarked: false,
    isMember: view.isMember,
    hasAccess: true,
    features: [],
    firstEvent: null,
    firstTransactionEvent: false,
    hasSessions: false,
    hasProfiles: false,
    hasReplays: false,
    hasLogs: false,
    status: 'active',
    team: teams[0] ? serializeTeamRef(teams[0]) : null,
    teams: teams.map(serializeTeamRef),
    avatar: { avatarType: 'letter_avatar', avatarUuid: null },
    eventMaxAgeDays: project.eventMaxAgeDays,
    eventsPerIssue: project.eventsPerIssue,
  };
}

/** The detail view adds the organisation. */
export function serializeProjectDetail(publicUrl: string, org: Org, view: ProjectView) {
  return { ...serializeProject(view), organization: serializeOrg(publicUrl, org) };
}
