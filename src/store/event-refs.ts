import type { EventRef } from './types.ts';

/** Event references as stored in deferred_counter_batches: compact JSON, [[projectId, eventId], …]. */
export function encodeRefs(events: EventRef[]): string {
  return JSON.stringify(events.map((e) => [e.projectId, e.eventId]));
}

export function decodeRefs(text: string): EventRef[] {
  return (JSON.parse(text) as [number, string][]).map(([projectId, eventId]) => ({ projectId, eventId }));
}
