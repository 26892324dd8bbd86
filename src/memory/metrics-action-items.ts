import type { AppContext } from '../context.ts';
import { type ActionItemView, isOverdue, viewActionItems } from '../postmortems/action-items.ts';
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
  /** The most overdue items (oldest due date first), with owner and incident named as `action list` names them. */
  overdueItems: ActionItemView[];
  truncated: boolean;
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
  const overdue = pending
    .filter((item) => isOverdue(item, now))
    .sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || a.id - b.id);
  const kinds = [...new Set(pending.map((i) => i.kind))].sort();
  const overdueItems = await viewActionItems(ctx, overdue.slice(0, LISTED_OVERDUE));
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
