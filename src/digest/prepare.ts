import { constants, zstdCompressSync } from 'node:zlib';
import { GROUPING_VERSION, type GroupingResult, groupEventV1 } from '../grouping/v1.ts';
import type { Project } from '../store/types.ts';
import { normalizeEvent } from './normalize.ts';
import { scrubEvent } from './scrub.ts';
import { userKeyOf } from './user-key.ts';

/** An event ready to commit: normalised, scrubbed, grouped and compressed, outside any transaction. */
export interface PreparedEvent {
  orgId: number;
  projectId: number;
  eventId: string;
  timestamp: number;
  receivedAt: number;
  level: string;
  platform: string;
  release: string | null;
  environment: string;
  userKey: string | null;
  tags: [string, string][];
  grouping: GroupingResult;
  groupingVersion: string;
  payload: Uint8Array;
  payloadCodec: string;
  size: number;
}

export interface PrepareContext {
  project: Project;
  receivedAt: number;
  envelopeEventId?: string;
  sentAt?: number;
  clientIp?: string;
}

/** Tags indexed per issue; more than this many on one event are ignored (attacker-controlled). */
const MAX_TAGS_PER_EVENT = 64;

export function prepareEvent(raw: Record<string, unknown>, ctx: PrepareContext): PreparedEvent {
  const event = scrubEvent(
    normalizeEvent(raw, {
      receivedAt: ctx.receivedAt,
      envelopeEventId: ctx.envelopeEventId,
      sentAt: ctx.sentAt,
      clientIp: ctx.clientIp,
    }),
  );
  const grouping = groupEventV1(event);
  const json = Buffer.from(JSON.stringify(event));
  return {
    orgId: ctx.project.orgId,
    projectId: ctx.project.id,
    eventId: event.event_id,
    timestamp: Math.round(event.timestamp * 1000),
    receivedAt: ctx.receivedAt,
    level: event.level,
    platform: event.platform,
    release: event.release ?? null,
    environment: event.environment,
    userKey: userKeyOf(event.user),
    tags: Object.entries(event.tags).slice(0, MAX_TAGS_PER_EVENT) as [string, string][],
    grouping,
    groupingVersion: GROUPING_VERSION,
    payload: compressPayload(json),
    payloadCodec: PAYLOAD_CODEC,
    size: json.length,
  };
}

/** See docs/decisions/0003-event-payload-compression.md for why zstd at level 1. */
export const PAYLOAD_CODEC = 'zstd';
const ZSTD_PARAMS = { [constants.ZSTD_c_compressionLevel]: 1 };
const MIN_ZSTD_CHUNK = 4096;

/**
 * zlib's sync call writes into output chunks and returns a view of one of them. Two things follow:
 * - The frame is copied out into bytes of its own: a prepared event crosses threads by structured
 *   clone, which copies a view's whole buffer, and the event is held until committed (bench:ingest:
 *   64 KiB per event on the main thread, most of its peak RSS).
 * - The chunk is small: the call's native handle survives scavenges and keeps its last chunk
 *   alive until a major GC. With the default 16 KiB, every event left 16 KiB of dead bytes in the
 *   prepare worker, which forced a major GC (a 9–14 ms pause) ~1.5 times a second. A quarter of
 *   the input, at least 4 KiB, still holds the frame in one piece (level 1 compresses events
 *   3–6×; a larger frame just takes more chunks) and halves both.
 */
export function compressPayload(json: Buffer): Uint8Array {
  const chunkSize = Math.max(MIN_ZSTD_CHUNK, json.length >> 2);
  return new Uint8Array(zstdCompressSync(json, { chunkSize, params: ZSTD_PARAMS }));
}
