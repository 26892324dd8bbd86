import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { AppError } from '../app-error.ts';

/**
 * The one typed config object. Precedence: flags > environment > defaults.
 * Parsed once at start; a bad setting fails fast with its name in the message.
 */
export const Config = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(8000),
  databaseUrl: z.string().min(1).default('sqlite:firebreak.db'),
  /** SQLite synchronous mode: NORMAL survives process kills; FULL also survives power loss. */
  sqliteSynchronous: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** Public URL used in DSNs and org tokens; defaults to http://host:port. */
  publicUrl: z.string().url().optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Worker threads that parse, scrub, group and compress events; 0 does it on the main thread. */
  digestWorkers: z.coerce
    .number()
    .int()
    .min(0)
    .max(64)
    .default(Math.max(1, availableParallelism() - 1)),
  /** Group commit: flush when this many events are queued, or after batchDelayMs. */
  commitBatchSize: z.coerce.number().int().min(1).max(5000).default(500),
  commitBatchDelayMs: z.coerce.number().min(0).max(1000).default(0),
  /** Under load, tag-value and bucket counts are written once per window (0: with every batch). */
  counterWindowMs: z.coerce.number().int().min(0).max(10_000).default(1000),
  /** Events waiting for commit before ingest answers 503 + Retry-After. */
  maxPendingEvents: z.coerce.number().int().min(1).default(20000),
  /** Decompressed request bytes held in memory at once before ingest answers 503. */
  maxInflightBytes: z.coerce
    .number()
    .int()
    .min(1)
    .default(256 * 1024 * 1024),
  retentionIntervalSeconds: z.coerce.number().min(1).default(600),
  /** Minute-resolution buckets are kept this long; hour buckets live as long as the issue. */
  minuteBucketRetentionHours: z.coerce.number().min(1).default(48),
  /**
   * The password `firebreak user create` sets (FIREBREAK_PASSWORD; never a flag, which shell
   * history keeps). A secret: nothing logs or prints the config, and errors never echo values.
   */
  password: z.string().optional(),
  /**
   * Mitigation hooks may run a command template on this server. Off by default: whoever can set
   * a hook's command runs programs as the server's user (remote code execution), so it takes an
   * operator's decision here as well as org:admin or project:admin on the project.
   */
  allowMitigationCommands: z
    .union([z.boolean(), z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])], {
      error: 'expected 1 or 0 (true/false, yes/no, on/off)',
    })
    .transform(
      (value) => value === true || value === '1' || value === 'true' || value === 'yes' || value === 'on',
    )
    .default(false),
  /** A mitigation command still running after this long is killed (its result: failed, timed out). */
  mitigationCommandTimeoutSeconds: z.coerce.number().int().min(1).max(600).default(30),
  /** How often unresolved incidents are re-verified and their timelines synced; 0 turns it off. */
  incidentTickSeconds: z.coerce.number().min(0).max(86_400).default(60),
  /** How often alert rules are evaluated (detectors, firings, actions); 0 turns it off on this node. */
  detectorTickSeconds: z.coerce.number().min(0).max(3600).default(10),
  /** How often due notification deliveries are claimed and sent; 0 turns sending off on this node. */
  notifyTickSeconds: z.coerce.number().min(0).max(3600).default(2),
  /**
   * A request must arrive whole within this long (Node's requestTimeout; Fastify's default is
   * none). Without it a few clients that stop mid-body held the ingest memory budget, so every
   * other SDK got 503, and a connection that never sent its body kept SIGTERM from finishing.
   */
  requestTimeoutSeconds: z.coerce.number().int().min(1).max(3600).default(60),
  /** Client connections held at once; unset: the open-file limit less a reserve (src/api/connection-limit.ts). */
  maxConnections: z.coerce.number().int().min(1).max(10_000_000).optional(),
  /** One HTTP or SMTP attempt gives up after this long. */
  notifyTimeoutSeconds: z.coerce.number().int().min(1).max(120).default(10),
  /** A delivery that failed this many times (transient errors) is marked failed. */
  notifyMaxAttempts: z.coerce.number().int().min(1).max(50).default(8),
  /** Backoff: the first retry after about this long, doubling up to notifyRetryMaxSeconds (with jitter). */
  notifyRetryBaseSeconds: z.coerce.number().min(0).max(86_400).default(30),
  notifyRetryMaxSeconds: z.coerce.number().min(0).max(86_400).default(3600),
  /** How often escalation policies and status-update reminders are checked; 0 turns it off. */
  escalationTickSeconds: z.coerce.number().min(0).max(3600).default(15),
  /**
   * The reverse proxies whose X-Forwarded-For names the client (addresses or CIDR ranges,
   * comma-separated). Unset, the connection's address is the client: behind a proxy every SDK's
   * `{{auto}}` IP, and so every anonymous user, would be the proxy.
   */
  trustProxy: z
    .string()
    .max(2000)
    .refine(
      (value) => value.split(',').every((entry) => isAddressOrRange(entry.trim())),
      'expected addresses or CIDR ranges, comma-separated (127.0.0.1,10.0.0.0/8)',
    )
    .transform((value) => value.split(',').map((entry) => entry.trim()))
    .optional(),
});
export type Config = z.infer<typeof Config>;

/** Maps environment variables to config keys (only these are read). */
const ENV_KEYS: Record<string, keyof Config> = {
  FIREBREAK_HOST: 'host',
  FIREBREAK_PORT: 'port',
  FIREBREAK_DATABASE_URL: 'databaseUrl',
  FIREBREAK_SQLITE_SYNCHRONOUS: 'sqliteSynchronous',
  FIREBREAK_PUBLIC_URL: 'publicUrl',
  FIREBREAK_LOG_LEVEL: 'logLevel',
  FIREBREAK_DIGEST_WORKERS: 'digestWorkers',
  FIREBREAK_COMMIT_BATCH_SIZE: 'commitBatchSize',
  FIREBREAK_COMMIT_BATCH_DELAY_MS: 'commitBatchDelayMs',
  FIREBREAK_COUNTER_WINDOW_MS: 'counterWindowMs',
  FIREBREAK_MAX_PENDING_EVENTS: 'maxPendingEvents',
  FIREBREAK_MAX_INFLIGHT_BYTES: 'maxInflightBytes',
  FIREBREAK_RETENTION_INTERVAL_SECONDS: 'retentionIntervalSeconds',
  FIREBREAK_MINUTE_BUCKET_RETENTION_HOURS: 'minuteBucketRetentionHours',
  FIREBREAK_PASSWORD: 'password',
  FIREBREAK_ALLOW_MITIGATION_COMMANDS: 'allowMitigationCommands',
  FIREBREAK_MITIGATION_COMMAND_TIMEOUT_SECONDS: 'mitigationCommandTimeoutSeconds',
  FIREBREAK_INCIDENT_TICK_SECONDS: 'incidentTickSeconds',
  FIREBREAK_DETECTOR_TICK_SECONDS: 'detectorTickSeconds',
  FIREBREAK_NOTIFY_TICK_SECONDS: 'notifyTickSeconds',
  FIREBREAK_REQUEST_TIMEOUT_SECONDS: 'requestTimeoutSeconds',
  FIREBREAK_MAX_CONNECTIONS: 'maxConnections',
  FIREBREAK_NOTIFY_TIMEOUT_SECONDS: 'notifyTimeoutSeconds',
  FIREBREAK_NOTIFY_MAX_ATTEMPTS: 'notifyMaxAttempts',
  FIREBREAK_NOTIFY_RETRY_BASE_SECONDS: 'notifyRetryBaseSeconds',
  FIREBREAK_NOTIFY_RETRY_MAX_SECONDS: 'notifyRetryMaxSeconds',
  FIREBREAK_ESCALATION_TICK_SECONDS: 'escalationTickSeconds',
  FIREBREAK_TRUST_PROXY: 'trustProxy',
};

export function loadConfig(
  flags: Partial<Record<keyof Config, unknown>>,
  env: Record<string, string | undefined>,
): Config {
  const merged: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    if (env[name] !== undefined && env[name] !== '') merged[key] = env[name];
  }
  for (const [key, value] of Object.entries(flags)) {
    if (value !== undefined) merged[key] = value;
  }
  const parsed = Config.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0] ?? '');
    const envName = Object.entries(ENV_KEYS).find(([, k]) => k === key)?.[0];
    const names = [FLAGS[key as keyof Config], envName].filter(Boolean).join(' / ');
    throw new AppError('VALIDATION', `invalid setting ${key}${names ? ` (${names})` : ''}: ${issue.message}`);
  }
  return parsed.data;
}

/** The settings `serve` and `setup` also take as flags; every other one is an environment variable only. */
const FLAGS: Partial<Record<keyof Config, string>> = {
  host: '--host',
  port: '--port',
  databaseUrl: '--database',
  publicUrl: '--public-url',
};

/** The URL SDKs and CLIs should use to reach this server. */
export function publicUrlOf(config: Config, boundPort?: number): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${boundPort ?? config.port}`;
}

/** `10.0.0.1`, `::1`, `10.0.0.0/8` or `fd00::/8`. */
function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
