import { GROUPING_VERSION, type GroupingResult, groupEventV1 } from '../grouping/v1.ts';
import type { Project } from '../store/types.ts';
import { normalizeEvent } from './normalize.ts';
import { scrubEvent } from './scrub.ts';
import { userFieldsOf, userKeyOf } from './user-key.ts';
import { ZstdFrameEncoder } from './zstd-frames.ts';

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
  /** All of the user's identities when it has several (user-key.ts `userFieldsOf`), else null. */
  userFields: Record<string, string> | null;
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
      maxAgeDays: ctx.project.eventMaxAgeDays,
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
    userFields: userFieldsOf(event.user),
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

/** One per thread that prepares events: its context is reused by every event it compresses. */
let payloadEncoder: ZstdFrameEncoder | undefined;

/**
 * The frame is returned in bytes of its own: a prepared event crosses threads by structured
 * clone, which copies a view's whole buffer, and the event is held until committed.
 */
export function compressPayload(json: Buffer): Uint8Array {
  payloadEncoder ??= new ZstdFrameEncoder();
  return payloadEncoder.encode(json);
}
