import { invalid } from '../app-error.ts';
import { isFirstPageCursor, offsetCursor, parseOffsetCursor as parseCursor } from '../offset-cursor.ts';
import type { StoredEvent } from '../store/types.ts';

/** Discover pages by offset; deep offsets are a scan, so they stop at MAX_OFFSET. */
const MAX_OFFSET = 10_000;

export const parseOffsetCursor = (cursor: string | undefined): number => parseCursor(cursor, MAX_OFFSET);
export { offsetCursor };

/** Event lists page by keyset (timestamp, event id), so new events never shift a page. */
export function parseEventCursor(
  cursor: string | undefined,
): { timestamp: number; eventId: string } | undefined {
  if (!cursor || isFirstPageCursor(cursor)) return undefined;
  const match = /^(\d{1,15}):([0-9a-f]{32}):0$/.exec(cursor);
  if (!match) throw invalid('invalid cursor');
  return { timestamp: Number(match[1]), eventId: match[2] };
}

export const eventCursor = (event: StoredEvent): string => `${event.timestamp}:${event.eventId}:0`;
