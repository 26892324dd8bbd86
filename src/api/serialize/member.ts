import type { MemberView } from '../../members/list-members.ts';
import { isoDate } from './dates.ts';
import { serializeUser } from './user.ts';

const ROLE_NAMES = { owner: 'Owner', admin: 'Admin', member: 'Member' } as const;

/** Sentry's organisation-member serializer; the member id is the user's id. */
export function serializeMember(view: MemberView) {
  const { member } = view;
  return {
    id: String(member.userId),
    email: member.user.email,
    name: member.user.name,
    user: serializeUser(member.user),
    role: member.role,
    orgRole: member.role,
    roleName: ROLE_NAMES[member.role],
    pending: false,
    expired: false,
    flags: {},
    dateCreated: isoDate(member.createdAt),
    inviteStatus: 'approved',
    teams: view.teams.map((team) => team.slug),
    teamRoles: view.teams.map((team) => ({ teamSlug: team.slug, role: null })),
  };
}
