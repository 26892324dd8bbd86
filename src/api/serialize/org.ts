import type { Org } from '../../store/types.ts';
import { isoDate } from './dates.ts';

/**
 * Sentry's organisation serializer: the fields sentry-cli requires (issue #3304 broke on a
 * missing `requireEmailVerification`) and what the MCP server reads. `links.regionUrl` must be
 * empty unless https: the MCP server refuses a plain-http region URL (reference §1.2).
 */
export function serializeOrg(publicUrl: string, org: Org) {
  return {
    id: String(org.id),
    slug: org.slug,
    name: org.name,
    dateCreated: isoDate(org.createdAt),
    isEarlyAdopter: false,
    require2FA: false,
    requireEmailVerification: false,
    hasAuthProvider: false,
    features: [],
    status: { id: 'active', name: 'active' },
    avatar: { avatarType: 'letter_avatar', avatarUuid: null },
    links: {
      organizationUrl: `${publicUrl}/organizations/${org.slug}/`,
      regionUrl: publicUrl.startsWith('https:') ? publicUrl : '',
    },
  };
}

/** The detail view adds the caller's access in this organisation. */
export function serializeOrgDetail(
  publicUrl: string,
  detail: { org: Org; access: string[]; role: string | null },
) {
  return {
    ...serializeOrg(publicUrl, detail.org),
    access: detail.access,
    orgRole: detail.role,
    role: detail.role,
    isDefault: false,
    openMembership: true,
    allowSharedIssues: false,
    dataScrubber: true,
    scrubIPAddresses: false,
  };
}
