import { invalid } from '../app-error.ts';
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
  const match = /^\d{1,12}:(\d{1,9}):[01]$/.exec(cursor ?? '0:0:0');
  if (!match) throw invalid('invalid cursor');
  return { limit: parsed.limit ?? parsed.per_page, offset: Number(match[1]), sort, cursor };
}

/** Fetch one more row than shown: its presence is what says a next page exists. */
export function nextOffsetCursor(page: OffsetPage, fetched: number): string | null {
  return fetched > page.limit ? `0:${page.offset + page.limit}:0` : null;
}
