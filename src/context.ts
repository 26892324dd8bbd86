import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Config } from './config/config.ts';
import type { GroupCommitter } from './digest/committer.ts';
import type { PreparePool } from './digest/prepare-pool.ts';
import type { KeyCache } from './ingest/key-cache.ts';
import type { IngestLimits } from './ingest/limits.ts';
import type { KeyRateLimiter } from './ingest/rate-limit.ts';
import type { Store } from './store/types.ts';

/** Everything a verb or transport needs, built once in main.ts and passed down. */
export interface AppContext {
  config: Config;
  store: Store;
  clock: Clock;
  logger: Logger;
  limits: IngestLimits;
  committer: GroupCommitter;
  preparer: PreparePool;
  keyCache: KeyCache;
  rateLimiter: KeyRateLimiter;
  /** Base URL SDKs and CLIs use (DSNs, org tokens). */
  publicUrl(): string;
}
