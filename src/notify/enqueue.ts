import type { AppContext } from '../context.ts';
import type { NewDelivery, NotificationKind } from '../store/types-notifications.ts';

export interface NotificationRequest {
  orgId: number;
  /** Targets of the organisation; ids of another organisation's (or deleted, or disabled) targets are skipped. */
  targetIds: number[];
  kind: NotificationKind;
  /** One line: a Slack message's heading, an email's subject. */
  title: string;
  /** Plain text; channels escape it for their format. */
  text: string;
  /** Where to look (the issue, the incident). */
  url?: string;
  /**
   * Machine-readable content. For `alert`, Sentry's issue-alert webhook `data`
   * (`{event | issue, triggered_rule}`), which webhook targets receive as is.
   */
  data: Record<string, unknown>;
  /**
   * What makes this notification this one (e.g. `alert:<rule>:<issue>:<window>`): a (target,
   * dedupeKey) already queued is not queued again, so several nodes enqueueing the same
   * notification deliver it once.
   */
  dedupeKey: string;
}

const TITLE_CHARS = 300;
const TEXT_CHARS = 10_000;
const KEY_CHARS = 400;

/** One delivery row per target, in one write; the delivery worker sends them (with retries). */
export function deliveriesOf(request: NotificationRequest): NewDelivery[] {
  if (!request.dedupeKey) throw new Error('enqueueNotification: dedupeKey is required');
  const targetIds = [...new Set(request.targetIds)];
  return targetIds.map((targetId) => ({
    targetId,
    kind: request.kind,
    title: request.title.replace(/\s+/g, ' ').trim().slice(0, TITLE_CHARS),
    text: request.text.slice(0, TEXT_CHARS),
    url: request.url ?? null,
    data: request.data,
    dedupeKey: request.dedupeKey.slice(0, KEY_CHARS),
  }));
}

/**
 * Queues a notification to the organisation's targets. Returns how many deliveries are new
 * (0 when every target already has this dedupeKey, or none of the ids is a usable target).
 */
export async function enqueueNotification(
  ctx: AppContext,
  request: NotificationRequest,
): Promise<{ enqueued: number }> {
  const deliveries = deliveriesOf(request);
  if (deliveries.length === 0) return { enqueued: 0 };
  const ids = await ctx.store.notificationDeliveries.enqueue(request.orgId, deliveries, ctx.clock.now());
  return { enqueued: ids.length };
}
