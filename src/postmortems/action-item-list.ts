import { z } from 'zod';
import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { INCIDENT_READ, type IncidentContext } from '../incidents/access.ts';
import { nextOffsetCursor, parseOffsetCursor, previousOffsetCursor } from '../offset-cursor.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import {
  ACTION_ITEM_KINDS,
  ACTION_ITEM_STATUSES,
  type ActionItemKind,
  type ActionItemQuery,
  type ActionItemStatus,
} from '../store/types-postmortems.ts';
import { clip, parseInput } from '../validation.ts';
import { memberId, resolveIncidentRef } from './action-item-input.ts';
import { type ActionItemView, viewActionItems } from './action-items.ts';

const ListInput = z.object({
  /** Statuses separated by commas; `pending` is open and in_progress. */
  status: z.string().max(200).optional(),
  kind: z.string().max(200).optional(),
  /** `1` / `true`: only items past their due date that are still pending. */
  overdue: z.enum(['1', 'true', '0', 'false']).optional(),
  /** `me`, a member's email or id, or a free-text owner. */
  owner: z.string().trim().min(1).max(320).optional(),
  incident: z.string().trim().max(20).optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(64).optional(),
});

function namesOf<T extends string>(
  text: string | undefined,
  known: readonly T[],
  what: string,
): T[] | undefined {
  if (!text) return undefined;
  const names = text.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(known as readonly string[]).includes(name)) {
      throw invalid(`invalid ${what}: ${clip(name)} (${known.join(', ')})`);
    }
  }
  return names as T[];
}

export interface ActionItemPage {
  views: ActionItemView[];
  previousCursor: string | null;
  nextCursor: string | null;
}

/**
 * GET /organizations/{org}/action-items/ — across incidents, by due date (none last): what is
 * overdue is `?overdue=1` (due before now, by the server's clock, and not done or won't do).
 */
export async function listActionItems(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
): Promise<ActionItemPage> {
  requireScope(principal, ...INCIDENT_READ);
  const org = await resolveOrg(ctx, principal, input.org);
  const params = parseInput(ListInput, input);
  const statuses =
    params.status === 'pending'
      ? (['open', 'in_progress'] as ActionItemStatus[])
      : namesOf<ActionItemStatus>(params.status, ACTION_ITEM_STATUSES, 'status');
  const query: Omit<ActionItemQuery, 'limit' | 'offset'> = {
    orgId: org.id,
    statuses,
    kinds: namesOf<ActionItemKind>(params.kind, ACTION_ITEM_KINDS, 'kind'),
    overdueAt: params.overdue === '1' || params.overdue === 'true' ? ctx.clock.now() : undefined,
    incidentId: params.incident ? (await resolveIncidentRef(ctx, org, params.incident)).id : undefined,
  };
  if (params.owner) {
    const userId = await memberId(ctx, principal, org, params.owner);
    if (userId !== null) query.ownerUserId = userId;
    else query.ownerName = params.owner;
  }
  return page(ctx, query, params.per_page, params.cursor);
}

/** GET /incidents/{ref}/action-items/ — the incident's items, by due date. */
export async function listIncidentActionItems(
  ctx: AppContext,
  { org, incident }: IncidentContext,
  input: Record<string, unknown>,
): Promise<ActionItemPage> {
  const params = parseInput(ListInput.pick({ per_page: true, cursor: true }), input);
  return page(ctx, { orgId: org.id, incidentId: incident.id }, params.per_page, params.cursor);
}

async function page(
  ctx: AppContext,
  query: Omit<ActionItemQuery, 'limit' | 'offset'>,
  perPage: number,
  cursor: string | undefined,
): Promise<ActionItemPage> {
  const offset = parseOffsetCursor(cursor);
  const items = await ctx.store.actionItems.list({ ...query, limit: perPage + 1, offset });
  return {
    views: await viewActionItems(ctx, items.slice(0, perPage)),
    previousCursor: previousOffsetCursor(offset, perPage),
    nextCursor: nextOffsetCursor(offset, perPage, items.length),
  };
}
