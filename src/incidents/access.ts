import { invalid, notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import { findIssueInOrg } from '../issues/get-issue.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Issue, Org, Project } from '../store/types.ts';
import type { Incident } from '../store/types-incidents.ts';
import { clip } from '../validation.ts';
import { type IncidentSettings, loadIncidentSettings } from './settings.ts';

export const INCIDENT_READ: Scope[] = ['incident:read', 'incident:write'];
export const INCIDENT_WRITE: Scope[] = ['incident:write'];

/** What every incident verb starts from: the organisation, the incident and the org's settings. */
export interface IncidentContext {
  org: Org;
  incident: Incident;
  settings: IncidentSettings;
}

export const formatIncidentRef = (incident: Pick<Incident, 'number'>): string => `INC-${incident.number}`;

/** `INC-7`, `inc-7` or `7`. */
export function parseIncidentRef(ref: string): number | null {
  const match = /^(?:inc-)?(\d{1,9})$/i.exec(ref.trim());
  return match ? Number(match[1]) : null;
}

/** The incident named in a URL, in the caller's organisation; another org's incident is 404. */
export async function loadIncident(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; ref: string },
  scopes: Scope[],
): Promise<IncidentContext> {
  requireScope(principal, ...scopes);
  const org = await resolveOrg(ctx, principal, input.org);
  const number = parseIncidentRef(input.ref);
  const incident = number === null ? null : await ctx.store.incidents.get(org.id, number);
  if (!incident) throw notFound('incident');
  return { org, incident, settings: await loadIncidentSettings(ctx, org.id) };
}

/** Issue references (`WEB-12` or ids) in the organisation; one that is not there is a 400 naming it. */
export async function resolveIssueRefs(
  ctx: AppContext,
  org: Org,
  refs: string[],
): Promise<{ issue: Issue; project: Project }[]> {
  const found: { issue: Issue; project: Project }[] = [];
  for (const ref of refs) {
    const hit = await findIssueInOrg(ctx, org, ref);
    if (!hit) throw invalid(`unknown issue ${clip(ref)}`);
    if (!found.some((f) => f.issue.id === hit.issue.id)) found.push(hit);
  }
  return found;
}

/** A role holder: `me`, a user id or an email, who must be a member of the organisation. */
export async function resolveMember(
  ctx: AppContext,
  principal: Principal,
  org: Org,
  ref: string,
): Promise<number> {
  let userId: number | null = null;
  if (ref === 'me') {
    if (principal.userId === null) throw invalid('"me" needs a user token; name the user by email');
    userId = principal.userId;
  } else if (/^\d{1,15}$/.test(ref)) userId = Number(ref);
  else {
    const email = ref.trim();
    userId = (await ctx.store.users.getByEmail(email))?.id ?? null;
  }
  if (userId === null || !(await ctx.store.members.get(org.id, userId))) {
    throw invalid(`${clip(ref)} is not a member of the organization`);
  }
  return userId;
}
