import type { Incident } from '../store/types-incidents.ts';

/**
 * Statuses after which an incident is over: `resolved`, and `closed` (resolved with its
 * post-mortem). Compared as strings so memory reads the same whichever of them a store holds.
 */
const FINISHED: ReadonlySet<string> = new Set(['resolved', 'closed']);

export const isFinished = (incident: Pick<Incident, 'status'>): boolean => FINISHED.has(incident.status);
