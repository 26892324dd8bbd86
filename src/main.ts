import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { buildServer } from './api/server.ts';
import { trackStalledRequests } from './api/stalled-requests.ts';
import { AppError } from './app-error.ts';
import { type Clock, systemClock } from './clock.ts';
import { type Config, publicUrlOf } from './config/config.ts';
import type { AppContext } from './context.ts';
import { startDetectorTicker } from './detect/ticker.ts';
import { GroupCommitter } from './digest/committer.ts';
import { startCounterRecovery } from './digest/counter-recovery.ts';
import { PreparePool } from './digest/prepare-pool.ts';
import { scheduleRetention } from './digest/retention.ts';
import { startEscalationTicker } from './escalation/ticker.ts';
import { startIncidentTicker } from './incidents/ticker.ts';
import { KeyCache } from './ingest/key-cache.ts';
import { INGEST_LIMITS } from './ingest/limits.ts';
import { KeyRateLimiter } from './ingest/rate-limit.ts';
import { startDeliveryWorker } from './notify/worker.ts';
import { openStore } from './store/open-store.ts';

export interface RunningServer {
  ctx: AppContext;
  /** Base URL actually listening, e.g. http://127.0.0.1:8000 */
  url: string;
  port: number;
  /** Stops accepting, finishes in-flight requests and commits, closes the store. */
  close(): Promise<void>;
}

/** Composition root: config → store → services → transports. Nothing global. */
export async function startServer(config: Config, deps: { clock?: Clock } = {}): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel });
  const store = await openStore(config.databaseUrl, { synchronous: config.sqliteSynchronous });
  await store.migrate();
  let boundPort = config.port;
  const ctx: AppContext = {
    config,
    store,
    clock: deps.clock ?? systemClock,
    logger,
    limits: INGEST_LIMITS,
    committer: new GroupCommitter(store, {
      batchSize: config.commitBatchSize,
      batchDelayMs: config.commitBatchDelayMs,
      maxPendingEvents: config.maxPendingEvents,
      counterWindowMs: config.counterWindowMs,
      onError: (error, events) => logger.error({ err: error, events }, 'commit failed'),
    }),
    preparer: new PreparePool(config.digestWorkers, (error) =>
      logger.error({ err: error }, 'prepare worker crashed'),
    ),
    keyCache: new KeyCache(store),
    rateLimiter: new KeyRateLimiter(),
    publicUrl: () => publicUrlOf(config, boundPort),
  };
  const stopCounterRecovery = await startCounterRecovery(ctx);
  const app = await buildServer(ctx);
  const cutStalled = trackStalledRequests(app.server);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // Nothing started may keep the process alive: it exits with the reason instead of hanging.
    await app.close();
    await ctx.committer.close();
    await stopCounterRecovery();
    await ctx.preparer.close();
    await store.close();
    throw listenFailure(error, config);
  }
  boundPort = (app.server.address() as AddressInfo).port;
  const stopRetention = scheduleRetention(ctx);
  const stopIncidentTicker = startIncidentTicker(ctx);
  const stopDetectorTicker = startDetectorTicker(ctx);
  const stopEscalationTicker = startEscalationTicker(ctx);
  const stopDeliveryWorker = startDeliveryWorker(ctx);
  let closing: Promise<void> | null = null;
  return {
    ctx,
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${boundPort}`,
    port: boundPort,
    close: () => {
      closing ??= (async () => {
        await stopRetention();
        await stopIncidentTicker();
        await stopDetectorTicker();
        await stopEscalationTicker();
        await stopDeliveryWorker();
        // A request still arriving after the request timeout is cut, as it would have been
        // without the shutdown (408 then; here the connection is closed): it cannot hold the stop.
        const cutting = setTimeout(cutStalled, config.requestTimeoutSeconds * 1000);
        try {
          await app.close();
        } finally {
          clearTimeout(cutting);
        }
        await ctx.committer.close();
        await stopCounterRecovery();
        await ctx.preparer.close();
        await store.close();
      })();
      return closing;
    },
  };
}

/** Why the server could not listen, in one line the operator can act on. */
function listenFailure(error: unknown, config: Config): unknown {
  const where = `${config.host}:${config.port}`;
  switch ((error as { code?: string }).code) {
    case 'EADDRINUSE':
      return new AppError(
        'UNAVAILABLE',
        `cannot listen on ${where}: the port is in use (choose another with --port)`,
        {
          cause: error,
        },
      );
    case 'EADDRNOTAVAIL':
      return new AppError(
        'UNAVAILABLE',
        `cannot listen on ${where}: ${config.host} is not an address of this machine`,
        {
          cause: error,
        },
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new AppError(
        'UNAVAILABLE',
        `cannot listen on ${where}: ${config.host} does not resolve to an address`,
        {
          cause: error,
        },
      );
    case 'EACCES':
      return new AppError(
        'UNAVAILABLE',
        `cannot listen on ${where}: not allowed (ports below 1024 need privileges)`,
        {
          cause: error,
        },
      );
    default:
      return error;
  }
}
