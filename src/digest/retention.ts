import { startTicker } from '../background/ticker.ts';
import type { AppContext } from '../context.ts';
import type { RetentionResult } from '../store/types.ts';

const HOUR = 3_600_000;

/** One retention pass: old events and per-issue overflow go; issue counters and hour buckets stay. */
export async function runRetention(
  ctx: Pick<AppContext, 'store' | 'clock' | 'config'>,
): Promise<RetentionResult> {
  const now = ctx.clock.now();
  return ctx.store.retention.prune({
    now,
    minuteBucketsBefore: now - ctx.config.minuteBucketRetentionHours * HOUR,
    batchSize: 500,
  });
}

/** Runs retention every interval; returns a stop function. Errors are logged, never thrown. */
export function scheduleRetention(ctx: AppContext): () => Promise<void> {
  return startTicker(ctx.logger, {
    seconds: ctx.config.retentionIntervalSeconds,
    failure: 'retention pass failed',
    pass: async () => {
      const result = await runRetention(ctx);
      if (result.eventsDeleted > 0) ctx.logger.info(result, 'retention pruned events');
    },
  });
}
