import { invalid } from '../app-error.ts';
import type { StoredEvent } from '../store/types.ts';

/** Discover pages by offset, in Sentry's cursor format `value:offset:is_prev`. */
const MAX_OFFSET = 10_000;

export function parseOffsetCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^\d{1,15}:(\d{1,7}):[01]$/.exec(cursor);
  if (!match || Number(match[1]) > MAX_OFFSET) throw invalid('invalid cursor');
  return Number(match[1]);
}

export const offsetCursor = (offset: number): string => `0:${offset}:0`;

/** Event lists page by keyset (timestamp, event id), so new events never shift a page. */
export function parseEventCursor(
  cursor: string | undefined,
): { timestamp: number; eventId: string } | undefined {
  if (!cursor) return undefined;
  const match = /^(\d{1,15}):([0-9a-f]{32}):0$/.exec(cursor);
  if (!match) throw invalid('invalid cursor');
  return { timestamp: Number(match[1]), eventId: match[2] };
}

export const eventCursor = (event: StoredEvent): string => `${event.timestamp}:${event.eventId}:0`;
