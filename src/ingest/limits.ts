/**
 * Ingest size limits, defaulting to Relay's (relay-config/src/config.rs `impl Default for Limits`;
 * reference/sentry-protocol.md §2.8). Byte counts are of the decompressed payload unless noted.
 */
export interface IngestLimits {
  /** Request body as received on the wire (possibly compressed). */
  maxRequestBytes: number;
  /** Whole envelope after decompression. */
  maxEnvelopeBytes: number;
  maxEventBytes: number;
  maxAttachmentBytes: number;
  maxAttachmentsBytes: number;
  maxAttachmentCount: number;
  maxSessionsBytes: number;
  maxSessionCount: number;
  maxClientReportBytes: number;
  maxCheckInBytes: number;
  maxProfileBytes: number;
  /** Per `log` container item (Relay `max_container_size`); also used for `trace_metric`. */
  maxLogBytes: number;
  maxSpanBytes: number;
  maxReplayBytes: number;
  maxJsonDepth: number;
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const INGEST_LIMITS: Readonly<IngestLimits> = Object.freeze({
  maxRequestBytes: 20 * MiB,
  maxEnvelopeBytes: 200 * MiB,
  maxEventBytes: 1 * MiB,
  maxAttachmentBytes: 200 * MiB,
  maxAttachmentsBytes: 200 * MiB,
  maxAttachmentCount: 30,
  maxSessionsBytes: 10 * MiB,
  maxSessionCount: 100,
  maxClientReportBytes: 100 * KiB,
  maxCheckInBytes: 100 * KiB,
  maxProfileBytes: 50 * MiB,
  maxLogBytes: 12 * MiB,
  maxSpanBytes: 10 * MiB,
  maxReplayBytes: 100 * MiB,
  maxJsonDepth: 64,
});

/** Relay keeps client reports and deprecated metrics small and counts them; we mirror the defaults. */
const MAX_CLIENT_REPORT_COUNT = 100;
const MAX_METRIC_BYTES = 1 * MiB;

export interface ItemGroupLimit {
  /** Items sharing one budget, e.g. `event` covers event, transaction, security, feedback, … */
  group: string;
  itemBytes: number;
  totalBytes: number;
  maxCount: number;
}

/**
 * The budget an item type draws from, after relay-server/src/utils/sizes.rs
 * `check_envelope_size_limits`: one event-like item per envelope, attachments (and the legacy
 * `user_report`) share a count and total. Unknown types have no limit beyond the envelope's.
 */
export function itemGroupLimit(type: string, limits: IngestLimits): ItemGroupLimit | null {
  const one = (group: string, bytes: number): ItemGroupLimit => ({
    group,
    itemBytes: bytes,
    totalBytes: bytes,
    maxCount: 1,
  });
  switch (type) {
    case 'event':
    case 'transaction':
    case 'security':
    case 'raw_security':
    case 'nel':
    case 'replay_event':
    case 'feedback':
    case 'form_data':
      return one('event', limits.maxEventBytes);
    case 'attachment':
    case 'unreal_report':
    case 'user_report':
      return {
        group: 'attachment',
        itemBytes: limits.maxAttachmentBytes,
        totalBytes: limits.maxAttachmentsBytes,
        maxCount: limits.maxAttachmentCount,
      };
    case 'replay_recording':
    case 'replay_video':
      return one(type, limits.maxReplayBytes);
    case 'session':
    case 'sessions':
      return {
        group: 'session',
        itemBytes: limits.maxSessionsBytes,
        totalBytes: limits.maxSessionsBytes,
        maxCount: limits.maxSessionCount,
      };
    case 'client_report':
      return {
        group: 'client_report',
        itemBytes: limits.maxClientReportBytes,
        totalBytes: limits.maxClientReportBytes,
        maxCount: MAX_CLIENT_REPORT_COUNT,
      };
    case 'profile':
    case 'profile_chunk':
    case 'profile_chunk_ui':
      return one('profile', limits.maxProfileBytes);
    case 'check_in':
      return one('check_in', limits.maxCheckInBytes);
    case 'statsd':
    case 'metric_buckets':
      return one(type, MAX_METRIC_BYTES);
    case 'log':
    case 'trace_metric':
      return one(type, limits.maxLogBytes);
    case 'span':
      // Standalone v1 spans come several per envelope; the size cap is what matters here.
      return { group: 'span', itemBytes: limits.maxSpanBytes, totalBytes: Infinity, maxCount: Infinity };
    default:
      return null;
  }
}

/** Relay's item types (relay-server/src/envelope/item.rs `ItemType::from_str`). */
const KNOWN_ITEM_TYPES = new Set([
  'event',
  'transaction',
  'security',
  'attachment',
  'form_data',
  'raw_security',
  'nel',
  'unreal_report',
  'user_report',
  'feedback',
  'session',
  'sessions',
  'statsd',
  'metric_buckets',
  'client_report',
  'profile',
  'replay_event',
  'replay_recording',
  'replay_video',
  'check_in',
  'log',
  'otel_log',
  'trace_metric',
  'span',
  'profile_chunk',
  'profile_chunk_ui',
  'integration',
]);

/**
 * The item type as counted in ingest outcomes. Types come from the sender, so anything Relay
 * does not know is counted as `unknown`: attacker-chosen strings never become database keys.
 */
export function outcomeItemType(type: string): string {
  return KNOWN_ITEM_TYPES.has(type) ? type : 'unknown';
}
