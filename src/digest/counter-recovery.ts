import { startTicker } from '../background/ticker.ts';
import type { AppContext } from '../context.ts';
import type { Store } from '../store/types.ts';
import { recountBatches } from './counters.ts';

/** A deferred batch this old belongs to no live window: windows are written within seconds. */
const ORPHANED_AFTER_MS = 5 * 60_000;
const BATCHES_PER_TRANSACTION = 50;
const RECOVERY_INTERVAL_SECONDS = 60;

/**
 * Counts deferred batches created before `createdBefore` from their stored events: those of a
 * process killed inside its window, or whose window failed to commit. Taking a batch deletes
 * it in the same transaction that adds its counts, so every batch is counted exactly once,
 * even when a live node or another node reaches for it too. Returns the events counted.
 */
export async function recoverDeferredCounters(
  store: Store,
  createdBefore: number,
  onUnreadable: (batchIds: number[]) => void = () => {},
): Promise<number> {
  let counted = 0;
  for (;;) {
    const { batches, events, unreadable } = await store.ingestWrite(async (tx) => {
      const taken = await tx.takeDeferredCounters({ createdBefore, limit: BATCHES_PER_TRANSACTION });
      const unreadable = taken.filter((batch) => batch.unreadable).map((batch) => batch.id);
      return { batches: taken.length, events: await recountBatches(tx, taken), unreadable };
    });
    // A damaged row is taken like any other (it would otherwise block every later pass); what
    // it referenced cannot be recounted, so it is reported.
    if (unreadable.length > 0) onUnreadable(unreadable);
    counted += events;
    if (batches < BATCHES_PER_TRANSACTION) return counted;
  }
}

/**
 * At start every batch left behind is counted (a previous process's); afterwards, every minute,
 * the ones orphaned by a failed write or by another node that died.
 */
export async function startCounterRecovery(ctx: AppContext): Promise<() => Promise<void>> {
  const recover = async (createdBefore: number) => {
    const counted = await recoverDeferredCounters(ctx.store, createdBefore, (batchIds) =>
      ctx.logger.warn(
        { batchIds },
        'deferred counter batches could not be read; their tag and bucket counts are lost (events and issue totals are intact)',
      ),
    );
    if (counted > 0) ctx.logger.info({ events: counted }, 'counted deferred tag and bucket counts');
  };
  // A batch that cannot be counted must not keep the server from starting: the ticker retries.
  await recover(ctx.clock.now()).catch((error) =>
    ctx.logger.error({ err: error }, 'deferred counter recovery failed'),
  );
  return startTicker(ctx.logger, {
    seconds: RECOVERY_INTERVAL_SECONDS,
    failure: 'deferred counter recovery failed',
    pass: () => recover(ctx.clock.now() - ORPHANED_AFTER_MS),
  });
}
