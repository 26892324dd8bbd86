import { decodePayload } from '../../digest/payload.ts';
import type { Issue, Project, StoredEvent } from '../../store/types.ts';
import { isoDate } from './dates.ts';

/** Sentry's event serializer: interfaces become `entries`, tags a list of {key, value}. */
export function serializeEvent(project: Project, issue: Issue, stored: StoredEvent) {
  const event = decodePayload(stored);
  const entries: { type: string; data: unknown }[] = [];
  if (event.exception)
    entries.push({ type: 'exception', data: { values: event.exception.values, hasSystemFrames: true } });
  if (event.threads) entries.push({ type: 'threads', data: event.threads });
  if (event.stacktrace) entries.push({ type: 'stacktrace', data: event.stacktrace });
  if (event.logentry) entries.push({ type: 'message', data: event.logentry });
  if (event.breadcrumbs) entries.push({ type: 'breadcrumbs', data: event.breadcrumbs });
  if (event.request) entries.push({ type: 'request', data: event.request });
  const message = event.logentry?.formatted ?? event.logentry?.message ?? '';
  return {
    id: stored.eventId,
    eventID: stored.eventId,
    groupID: String(issue.id),
    projectID: String(project.id),
    title: issue.title,
    message,
    culprit: issue.culprit,
    location: issue.culprit,
    platform: event.platform,
    type: event.type,
    metadata: issue.metadata,
    dateCreated: isoDate(stored.timestamp),
    dateReceived: isoDate(stored.receivedAt),
    size: stored.size,
    tags: Object.entries(event.tags).map(([key, value]) => ({ key, value })),
    entries,
    contexts: event.contexts ?? {},
    context: event.extra ?? {},
    user: event.user ?? null,
    sdk: event.sdk ?? null,
    packages: event.modules ?? {},
    release: event.release ? { version: event.release } : null,
    dist: event.dist ?? null,
    environment: event.environment,
    fingerprints: event.fingerprint ?? ['{{ default }}'],
    errors: [],
    crashFile: null,
  };
}
