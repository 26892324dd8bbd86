import { z } from 'zod';
import { invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { parseIncidentRef } from '../incidents/access.ts';
import { Timestamp } from '../incidents/timestamps.ts';
import { findIssueInOrg } from '../issues/get-issue.ts';
import type { Org } from '../store/types.ts';
import type { Incident } from '../store/types-incidents.ts';
import { ACTION_ITEM_KINDS, ACTION_ITEM_STATUSES } from '../store/types-postmortems.ts';
import { clip } from '../validation.ts';

const Owner = z.string().trim().min(1).max(320);
/** RFC 3339, a date (`2026-12-01`, midnight UTC) or epoch ms. */
const Due = Timestamp;

/** POST …/action-items/ (an incident's, or the organisation's with `incident` optional). */
export const NewActionItemInput = z
  .object({
    title: z.string().trim().min(1).max(500),
    description: z.string().trim().max(10_000).nullable().optional(),
    kind: z.enum(ACTION_ITEM_KINDS).default('other'),
    status: z.enum(ACTION_ITEM_STATUSES).default('open'),
    /** `me`, a member's email or id, or free text (a team, someone outside Firebreak). */
    owner: Owner.nullable().optional(),
    dueAt: Due.nullable().optional(),
    /** `INC-7` or `7`: the incident it came from (set by the incident's own endpoint). */
    incident: z.string().trim().max(20).nullable().optional(),
    /** An issue it is about: `WEB-12` or an issue id, in any project of the organisation. */
    issue: z.string().trim().max(100).nullable().optional(),
  })
  .strict();

/** PUT …/action-items/{id}/ — any field; null clears an optional one. */
export const UpdateActionItemInput = z
  .object({
    title: z.string().trim().min(1).max(500).optional(),
    description: z.string().trim().max(10_000).nullable().optional(),
    kind: z.enum(ACTION_ITEM_KINDS).optional(),
    status: z.enum(ACTION_ITEM_STATUSES).optional(),
    owner: Owner.nullable().optional(),
    dueAt: Due.nullable().optional(),
    incident: z.string().trim().max(20).nullable().optional(),
    issue: z.string().trim().max(100).nullable().optional(),
    /** The change applies only if the item is still at this version (else 409). */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();

export interface OwnerRef {
  ownerUserId: number | null;
  ownerName: string | null;
}

/**
 * An owner: `me` (the caller), a member's id or email (linked to the user), else free text.
 * A number that is not a member's id is refused: it was surely meant as one.
 */
export async function resolveOwner(
  ctx: AppContext,
  principal: Principal,
  org: Org,
  ref: string | null,
): Promise<OwnerRef> {
  if (ref === null) return { ownerUserId: null, ownerName: null };
  const userId = await memberId(ctx, principal, org, ref);
  if (userId !== null) return { ownerUserId: userId, ownerName: null };
  if (/^\d{1,15}$/.test(ref)) throw invalid(`owner ${clip(ref)} is not a member of the organization`);
  return { ownerUserId: null, ownerName: ref };
}

/** The member a reference names (`me`, id, email), or null when it names none. */
export async function memberId(
  ctx: AppContext,
  principal: Principal,
  org: Org,
  ref: string,
): Promise<number | null> {
  let userId: number | null = null;
  if (ref === 'me') {
    if (principal.userId === null) throw invalid('"me" needs a user token; name the owner by email');
    userId = principal.userId;
  } else if (/^\d{1,15}$/.test(ref)) userId = Number(ref);
  else if (ref.includes('@')) {
    const user = await ctx.store.users.getByEmail(ref);
    userId = user?.id ?? null;
  }
  return userId !== null && (await ctx.store.members.get(org.id, userId)) ? userId : null;
}

/** `INC-7` in the organisation; one that is not there is a 400 naming it. */
export async function resolveIncidentRef(ctx: AppContext, org: Org, ref: string): Promise<Incident> {
  const number = parseIncidentRef(ref);
  const incident = number === null ? null : await ctx.store.incidents.get(org.id, number);
  if (!incident) throw invalid(`unknown incident ${clip(ref)}`);
  return incident;
}

export async function resolveIssueId(ctx: AppContext, org: Org, ref: string): Promise<number> {
  const found = await findIssueInOrg(ctx, org, ref);
  if (!found) throw invalid(`unknown issue ${clip(ref)}`);
  return found.issue.id;
}
