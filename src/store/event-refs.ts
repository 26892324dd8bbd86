import type { DeferredCounterBatch, EventRef } from './types.ts';

/** Event references as stored in deferred_counter_batches: compact JSON, [[projectId, eventId], …]. */
export function encodeRefs(events: EventRef[]): string {
  return JSON.stringify(events.map((e) => [e.projectId, e.eventId]));
}

/**
 * The references of a stored batch, or null when the text is not what encodeRefs writes (a
 * damaged row): callers take such a batch out of the way instead of failing on it forever.
 */
export function decodeRefs(text: string): EventRef[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const refs: EventRef[] = [];
  for (const entry of parsed) {
    if (!Array.isArray(entry) || !Number.isSafeInteger(entry[0]) || typeof entry[1] !== 'string') return null;
    refs.push({ projectId: entry[0], eventId: entry[1] });
  }
  return refs;
}

/** A taken batch from its stored row; an unreadable one is marked so it is reported, not retried. */
export function takenBatch(id: number, text: string): DeferredCounterBatch {
  const events = decodeRefs(text);
  return events ? { id, events } : { id, events: [], unreadable: true };
}
