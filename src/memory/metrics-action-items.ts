import type { AppContext } from '../context.ts';
import type { Org } from '../store/types.ts';
import { ACTION_ITEM_PENDING, type ActionItem, type ActionItemKind } from '../store/types-postmortems.ts';

/** Pending items read at most (pages of PAGE); beyond that the counts say `truncated`. */
const PAGE = 500;
const MAX_ITEMS = 20_000;
const LISTED_OVERDUE = 10;

export interface ActionItemMetrics {
  /** Items still to do (open or in progress), and those past their due date. */
  open: number;
  overdue: number;
  byKind: { kind: ActionItemKind; open: number; overdue: number }[];
  /** The most overdue items (oldest due date first), with the owner's name as people read it. */
  overdueItems: { item: ActionItem; incidentRef: string | null; owner: string | null }[];
  truncated: boolean;
}

/** A member owner by name (else email), as `action list` shows it; a free-text owner as written. */
async function ownerName(ctx: AppContext, item: ActionItem): Promise<string | null> {
  if (item.ownerUserId === null) return item.ownerName;
  const user = await ctx.store.users.getById(item.ownerUserId);
  return user ? user.name || user.email : `user:${item.ownerUserId}`;
}

/**
 * Open and overdue action items of the organisation, now (not limited to the report's period:
 * an item from an incident four months ago that is still open is exactly what must show).
 */
export async function actionItemMetrics(ctx: AppContext, org: Org, now: number): Promise<ActionItemMetrics> {
  const pending: ActionItem[] = [];
  for (let offset = 0; offset < MAX_ITEMS; offset += PAGE) {
    const page = await ctx.store.actionItems.list({
      orgId: org.id,
      statuses: [...ACTION_ITEM_PENDING],
      limit: PAGE,
      offset,
    });
    pending.push(...page);
    if (page.length < PAGE) break;
  }
  const isOverdue = (item: ActionItem) => item.dueAt !== null && item.dueAt < now;
  const overdue = pending.filter(isOverdue).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || a.id - b.id);
  const kinds = [...new Set(pending.map((i) => i.kind))].sort();
  const overdueItems: ActionItemMetrics['overdueItems'] = [];
  for (const item of overdue.slice(0, LISTED_OVERDUE)) {
    const incident = item.incidentId === null ? null : await ctx.store.incidents.getById(item.incidentId);
    overdueItems.push({
      item,
      incidentRef: incident ? `INC-${incident.number}` : null,
      owner: await ownerName(ctx, item),
    });
  }
  return {
    open: pending.length,
    overdue: overdue.length,
    byKind: kinds.map((kind) => ({
      kind,
      open: pending.filter((i) => i.kind === kind).length,
      overdue: overdue.filter((i) => i.kind === kind).length,
    })),
    overdueItems,
    truncated: pending.length >= MAX_ITEMS,
  };
}
