import type { AppContext } from '../context.ts';
import { decodePayload } from '../digest/payload.ts';
import type { EventFilter } from '../store/types-events.ts';
import { linkedEvents, type TriageScope } from './triage-scope.ts';

/** A context field read when an event carries none of a dimension's tags. */
export interface ContextField {
  context: string;
  /** Tried in order; the first string or number wins. */
  fields: string[];
}

/**
 * Payloads decoded per dimension at most: contexts are not indexed, so events without a tag are
 * read one by one, newest first. Beyond it the breakdown says `truncated`.
 */
export const CONTEXT_SCAN_LIMIT = 500;

const MAX_VALUE_CHARS = 200;

function contextValue(contexts: unknown, field: ContextField): string | undefined {
  if (typeof contexts !== 'object' || contexts === null) return undefined;
  const context = (contexts as Record<string, unknown>)[field.context];
  if (typeof context !== 'object' || context === null) return undefined;
  for (const name of field.fields) {
    const value = (context as Record<string, unknown>)[name];
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (text) return text.slice(0, MAX_VALUE_CHARS);
  }
  return undefined;
}

export interface ContextTally {
  /** issue id → value → events. */
  counts: Map<number, Map<string, number>>;
  /** issue id → contexts that gave a value. */
  sources: Map<number, Set<string>>;
  truncated: boolean;
}

/**
 * Reads the named contexts of the recent events that `filters` leave (those without any of the
 * dimension's tags); each event counts once, under the first context field it carries.
 */
export async function scanContexts(
  ctx: AppContext,
  scope: TriageScope,
  fields: ContextField[],
  filters: EventFilter[],
): Promise<ContextTally> {
  const tally: ContextTally = { counts: new Map(), sources: new Map(), truncated: false };
  if (fields.length === 0 || scope.linked.length === 0) return tally;
  const { events, hasMore } = await ctx.store.events.search({
    ...linkedEvents(scope, scope.periods.recent, filters),
    order: 'newest',
    limit: CONTEXT_SCAN_LIMIT,
  });
  tally.truncated = hasMore;
  for (const event of events) {
    const contexts = decodePayload(event).contexts;
    for (const field of fields) {
      const value = contextValue(contexts, field);
      if (value === undefined) continue;
      const perIssue = tally.counts.get(event.issueId) ?? new Map<string, number>();
      perIssue.set(value, (perIssue.get(value) ?? 0) + 1);
      tally.counts.set(event.issueId, perIssue);
      const sources = tally.sources.get(event.issueId) ?? new Set<string>();
      sources.add(`context:${field.context}`);
      tally.sources.set(event.issueId, sources);
      break;
    }
  }
  return tally;
}
