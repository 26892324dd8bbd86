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
    batchSize: 5000,
  });
}

/** Runs retention every interval; returns a stop function. Errors are logged, never thrown. */
export function scheduleRetention(ctx: AppContext): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const result = await runRetention(ctx);
      if (result.eventsDeleted > 0) ctx.logger.info(result, 'retention pruned events');
    } catch (error) {
      ctx.logger.error({ err: error }, 'retention pass failed');
    } finally {
      running = false;
    }
  }, ctx.config.retentionIntervalSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
