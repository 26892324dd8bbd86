import { invalid } from './app-error.ts';

/**
 * Sentry's offset cursors, `value:offset:is_prev` (reference/sentry-protocol.md §5.2), for the
 * lists that page by position. The bound keeps a forged offset inside both databases' integer
 * range, so it is a 400 rather than an overflow in a query.
 */
const CURSOR = /^\d{1,20}:(\d{1,10}):[01]$/;
const MAX_OFFSET = 1_000_000_000;

/** The offset a cursor from a Link header names; absent or empty is the first page. */
export function parseOffsetCursor(cursor: string | undefined, maxOffset = MAX_OFFSET): number {
  if (!cursor) return 0;
  const offset = Number(CURSOR.exec(cursor)?.[1] ?? Number.NaN);
  if (Number.isNaN(offset) || offset > maxOffset)
    throw invalid('invalid cursor: is not a cursor from a Link header');
  return offset;
}

export const offsetCursor = (offset: number): string => `0:${offset}:0`;

/**
 * Sentry's cursor for the first page, `0:0:0` or `0:0:1`: what a `previous` link with
 * results="false" carries on every list. A keyset list reads it as no cursor, so following that
 * link gives the first page instead of a 400.
 */
export function isFirstPageCursor(cursor: string | undefined): boolean {
  return cursor === '0:0:0' || cursor === '0:0:1';
}

/** Fetch one more row than shown: its presence is what says a next page exists. */
export function nextOffsetCursor(offset: number, limit: number, fetched: number): string | null {
  return fetched > limit ? offsetCursor(offset + limit) : null;
}

/** Sentry's `previous` (OffsetPaginator): the page before this one; null on the first page. */
export function previousOffsetCursor(offset: number, limit: number): string | null {
  return offset > 0 ? `0:${Math.max(0, offset - limit)}:1` : null;
}
