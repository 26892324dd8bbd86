import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AppError, notFound } from '../app-error.ts';
import { effectiveScopes, type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { nextOffsetCursor, parseOffsetCursor, previousOffsetCursor } from '../offset-cursor.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { DELIVERY_STATUSES, type Delivery, type DeliveryAttempt } from '../store/types-notifications.ts';
import { parseInput } from '../validation.ts';
import { shownAttempt, shownLastError } from './shown-attempt.ts';
import { loadTarget, TARGETS_READ, TARGETS_WRITE } from './targets.ts';
import { deliverClaimed } from './worker.ts';

export interface DeliveryView {
  delivery: Delivery;
  attempts: DeliveryAttempt[];
}

const ListInput = z.object({
  status: z.enum(DELIVERY_STATUSES).optional(),
  target: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a target id')
    .optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(64).optional(),
});

/** A delivery carries what it announced (issue titles, incident summaries): readers must see those too. */
function requireDeliveriesRead(principal: Principal): void {
  requireScope(principal, ...TARGETS_READ);
  requireScope(principal, 'event:read', 'incident:read');
}

/**
 * Deliveries with their attempts as the caller may see them: a receiver's reply (an attempt's
 * excerpt) only for those who may change the targets; everyone else gets the status line.
 * Call after resolveOrg, which caps a user's token by their role.
 */
async function withAttempts(
  ctx: AppContext,
  principal: Principal,
  deliveries: Delivery[],
): Promise<DeliveryView[]> {
  const scopes = effectiveScopes(principal);
  const showsReplies = TARGETS_WRITE.some((scope) => scopes.has(scope));
  const attempts = await ctx.store.notificationDeliveries.attempts(deliveries.map((d) => d.id));
  return deliveries.map((delivery) => ({
    delivery: { ...delivery, lastError: shownLastError(delivery.lastError) },
    attempts: attempts
      .filter((a) => a.deliveryId === delivery.id)
      .map((attempt) => shownAttempt(attempt, showsReplies)),
  }));
}

/** GET /organizations/{org}/notification-deliveries/?status=…&target=… — newest first, with attempts. */
export async function listDeliveries(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
) {
  requireDeliveriesRead(principal);
  const org = await resolveOrg(ctx, principal, input.org);
  const params = parseInput(ListInput, input);
  const offset = parseOffsetCursor(params.cursor);
  const rows = await ctx.store.notificationDeliveries.list({
    orgId: org.id,
    status: params.status,
    targetId: params.target === undefined ? undefined : Number(params.target),
    limit: params.per_page + 1,
    offset,
  });
  return {
    views: await withAttempts(ctx, principal, rows.slice(0, params.per_page)),
    previousCursor: previousOffsetCursor(offset, params.per_page),
    nextCursor: nextOffsetCursor(offset, params.per_page, rows.length),
  };
}

/** GET /organizations/{org}/notification-deliveries/{id}/ */
export async function getDelivery(ctx: AppContext, principal: Principal, orgSlug: string, id: string) {
  requireDeliveriesRead(principal);
  const org = await resolveOrg(ctx, principal, orgSlug);
  const view = /^\d{1,15}$/.test(id) ? await loadDelivery(ctx, principal, org.id, Number(id)) : null;
  if (!view) throw notFound('notification delivery');
  return view;
}

async function loadDelivery(
  ctx: AppContext,
  principal: Principal,
  orgId: number,
  id: number,
): Promise<DeliveryView | null> {
  const delivery = await ctx.store.notificationDeliveries.get(orgId, id);
  return delivery ? (await withAttempts(ctx, principal, [delivery]))[0] : null;
}

/**
 * POST /organizations/{org}/notification-targets/{id}/test/ — sends a test notification now and
 * answers with its first attempt (a failure is retried like any delivery). Sending is a write.
 */
export async function testTarget(ctx: AppContext, principal: Principal, orgSlug: string, id: string) {
  const target = await loadTarget(ctx, principal, orgSlug, id, true);
  const now = ctx.clock.now();
  const [deliveryId] = await ctx.store.notificationDeliveries.enqueue(
    target.orgId,
    [
      {
        targetId: target.id,
        kind: 'test',
        title: `Test notification for ${target.name}`,
        text: `If you can read this, Firebreak can reach the ${target.kind} target "${target.name}".`,
        url: ctx.publicUrl(),
        data: { target: { id: String(target.id), name: target.name, kind: target.kind } },
        dedupeKey: `test:${now}:${randomUUID()}`,
      },
    ],
    now,
  );
  const claimed = await ctx.store.notificationDeliveries.claim(deliveryId, now, now + 60_000);
  // A delivery worker on another node can claim it between the two writes: it is sent all the same.
  if (claimed) await deliverClaimed(ctx, claimed);
  // Read without the delivery log's scopes: a test notification announces nothing but itself.
  const view = await loadDelivery(ctx, principal, target.orgId, deliveryId);
  if (!view) throw new AppError('INTERNAL', 'the test delivery disappeared');
  return view;
}
