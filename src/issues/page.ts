import { nextOffsetCursor as nextCursor, parseOffsetCursor } from '../offset-cursor.ts';
import { parseInput } from '../validation.ts';
import { PageInput } from './schemas.ts';

export interface OffsetPage {
  limit: number;
  offset: number;
  sort: 'count' | 'date' | 'age';
  cursor: string | undefined;
}

/** `per_page` (or `limit`) and Sentry's `value:offset:is_prev` cursor, read as an offset. */
export function offsetPageOf(query: unknown): OffsetPage {
  const parsed = parseInput(PageInput, query);
  const { cursor, sort } = parsed;
  return { limit: parsed.limit ?? parsed.per_page, offset: parseOffsetCursor(cursor), sort, cursor };
}

/** Fetch one more row than shown: its presence is what says a next page exists. */
export function nextOffsetCursor(page: OffsetPage, fetched: number): string | null {
  return nextCursor(page.offset, page.limit, fetched);
}
