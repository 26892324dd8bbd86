import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import type { OrgRole } from '../store/types-accounts.ts';
import { resolveOrgAccess } from './resolve.ts';

export interface OrgDetail {
  org: Org;
  /** The caller's scopes in this organisation (Sentry's `access`). */
  access: string[];
  role: OrgRole | null;
}

export async function getOrg(
  ctx: AppContext,
  principal: Principal,
  input: { org: string },
): Promise<OrgDetail> {
  requireScope(principal, 'org:read', 'org:write', 'org:admin');
  const { org, role, scopes } = await resolveOrgAccess(ctx, principal, input.org);
  return { org, access: [...scopes].sort(), role };
}
