import { startTicker } from '../background/ticker.ts';
import type { AppContext } from '../context.ts';
import type { Delivery, DeliveryAttempt } from '../store/types-notifications.ts';
import { nextStep, type RetryPolicy } from './backoff.ts';
import { sendDelivery } from './send.ts';

const BATCH = 20;
/** A claim outlives any attempt (timeouts included); a node that died mid-send loses it then. */
const leaseMs = (ctx: AppContext) => Math.max(60_000, 3 * ctx.config.notifyTimeoutSeconds * 1000);

export function retryPolicyOf(ctx: AppContext): RetryPolicy {
  return {
    maxAttempts: ctx.config.notifyMaxAttempts,
    baseMs: ctx.config.notifyRetryBaseSeconds * 1000,
    maxMs: ctx.config.notifyRetryMaxSeconds * 1000,
  };
}

export interface Delivered {
  attempt: DeliveryAttempt;
  status: 'sent' | 'failed' | 'pending';
  nextAttemptAt: number;
}

/** Sends one claimed delivery and records the attempt; null if the claim was lost meanwhile. */
export async function deliverClaimed(
  ctx: AppContext,
  delivery: Delivery,
  random: () => number = Math.random,
): Promise<Delivered | null> {
  const target = await ctx.store.notificationTargets.getById(delivery.targetId);
  const startedAt = ctx.clock.now();
  const result = await sendDelivery(ctx, target, delivery);
  const finishedAt = ctx.clock.now();
  const attempt = {
    attempt: delivery.attempts,
    ok: result.ok,
    statusCode: result.statusCode,
    detail: result.detail,
    excerpt: result.excerpt ?? null,
    startedAt,
    finishedAt,
  };
  const next = nextStep(retryPolicyOf(ctx), result, delivery.attempts, finishedAt, random());
  const recorded = await ctx.store.notificationDeliveries.finish(
    delivery.id,
    delivery.attempts,
    { attempt, ...next },
    finishedAt,
  );
  if (!recorded) return null;
  if (next.status === 'failed') {
    ctx.logger.warn({ deliveryId: delivery.id, targetId: delivery.targetId }, 'notification delivery failed');
  }
  return { attempt: { deliveryId: delivery.id, ...attempt }, ...next };
}

export interface DeliveryTickResult {
  claimed: number;
  sent: number;
  retrying: number;
  failed: number;
}

/**
 * One pass: claims the due deliveries (each by exactly one node: see notificationDeliveries
 * .claimDue), sends them in parallel, records every attempt with its next step.
 */
export async function tickDeliveries(
  ctx: AppContext,
  options: { random?: () => number; limit?: number } = {},
): Promise<DeliveryTickResult> {
  const now = ctx.clock.now();
  const claimed = await ctx.store.notificationDeliveries.claimDue({
    now,
    limit: options.limit ?? BATCH,
    leaseUntil: now + leaseMs(ctx),
  });
  const result: DeliveryTickResult = { claimed: claimed.length, sent: 0, retrying: 0, failed: 0 };
  for (const done of await Promise.all(claimed.map((d) => deliverClaimed(ctx, d, options.random)))) {
    if (done?.status === 'sent') result.sent++;
    else if (done?.status === 'failed') result.failed++;
    else if (done) result.retrying++;
  }
  return result;
}

/**
 * Runs tickDeliveries every `notifyTickSeconds` (0: this node sends nothing), and again at once
 * while a pass found a full batch. The stop function waits for a pass in progress.
 */
export function startDeliveryWorker(ctx: AppContext): () => Promise<void> {
  return startTicker(ctx.logger, {
    seconds: ctx.config.notifyTickSeconds,
    failure: 'notification delivery tick failed',
    pass: async (stopping) => {
      let result: DeliveryTickResult;
      do result = await tickDeliveries(ctx);
      while (!stopping() && result.claimed >= BATCH);
    },
  });
}
