import { z } from 'zod';
import { offsetCursor, parseOffsetCursor } from '../offset-cursor.ts';

/** List parameters Sentry's clients send: `cursor`, `per_page` (sentry-cli, MCP) and `query`. */
export const ListInput = z.object({
  cursor: z.string().max(100).optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(100),
  query: z.string().max(200).optional(),
});
export type ListInput = z.infer<typeof ListInput>;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Offset pages over a short, already ordered list (organisations, projects, teams, members and
 * keys number in the hundreds at most). Cursors look like Sentry's `value:offset:is_prev`.
 */
export function pageOf<T>(items: T[], input: { cursor?: string; per_page: number }): Page<T> {
  const offset = parseOffsetCursor(input.cursor);
  const end = offset + input.per_page;
  return { items: items.slice(offset, end), nextCursor: end < items.length ? offsetCursor(end) : null };
}

/** Sentry's `query` on these lists: a case-insensitive match on slug or name. */
export function matchesQuery(item: { slug: string; name: string }, query: string | undefined): boolean {
  const needle = query?.trim().toLowerCase();
  if (!needle) return true;
  return item.slug.toLowerCase().includes(needle) || item.name.toLowerCase().includes(needle);
}
