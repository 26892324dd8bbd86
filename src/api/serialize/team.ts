import type { TeamView } from '../../teams/team-view.ts';
import { isoDate } from './dates.ts';
import { serializeProject, serializeTeamRef } from './project.ts';

/** Sentry's team serializer; `projects` only when the view carries them (`detailed`). */
export function serializeTeam(view: TeamView) {
  return {
    ...serializeTeamRef(view.team),
    dateCreated: isoDate(view.team.createdAt),
    isMember: view.isMember,
    teamRole: null,
    hasAccess: true,
    isPending: false,
    memberCount: view.memberCount,
    avatar: { avatarType: 'letter_avatar', avatarUuid: null },
    ...(view.projects ? { projects: view.projects.map(serializeProject) } : {}),
  };
}
