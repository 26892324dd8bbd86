import type { NormalizedEvent } from '../../digest/event.ts';
import { decodePayload } from '../../digest/payload.ts';
import type { Issue, Project, StoredEvent } from '../../store/types.ts';
import { isoDate } from './dates.ts';
import {
  serializeBreadcrumbs,
  serializeException,
  serializeRequest,
  serializeStacktrace,
  serializeThreads,
  serializeUser,
} from './event-entries.ts';

/** Sentry's event serializer: interfaces become `entries`, tags a list of {key, value}. */
export function serializeEvent(project: Project, issue: Issue, stored: StoredEvent) {
  const event = decodePayload(stored);
  const entries: { type: string; data: unknown }[] = [];
  if (event.exception) entries.push({ type: 'exception', data: serializeException(event.exception) });
  if (event.threads) entries.push({ type: 'threads', data: serializeThreads(event.threads) });
  if (event.stacktrace) entries.push({ type: 'stacktrace', data: serializeStacktrace(event.stacktrace) });
  if (event.logentry) entries.push({ type: 'message', data: event.logentry });
  if (event.breadcrumbs) entries.push({ type: 'breadcrumbs', data: serializeBreadcrumbs(event.breadcrumbs) });
  if (event.request) entries.push({ type: 'request', data: serializeRequest(event.request) });
  return {
    id: stored.eventId,
    eventID: stored.eventId,
    groupID: String(issue.id),
    projectID: String(project.id),
    title: stored.title || issue.title,
    message: messageOf(event),
    culprit: stored.culprit || issue.culprit,
    location: stored.culprit || issue.culprit,
    platform: event.platform,
    type: event.type,
    metadata: issue.metadata,
    dateCreated: isoDate(stored.timestamp),
    dateReceived: isoDate(stored.receivedAt),
    size: stored.size,
    tags: tagList(event),
    entries,
    contexts: event.contexts ?? {},
    context: event.extra ?? {},
    user: serializeUser(event.user),
    sdk: event.sdk ? { name: stringOrNull(event.sdk.name), version: stringOrNull(event.sdk.version) } : null,
    packages: event.modules ?? {},
    release: event.release ? { version: event.release } : null,
    dist: event.dist ?? null,
    environment: event.environment,
    fingerprints: event.fingerprint ?? ['{{ default }}'],
    errors: [],
    occurrence: null,
    crashFile: null,
    _meta: {},
  };
}

/**
 * Sentry's SimpleEventSerializer: the event list item (issue and project event lists without
 * `full=true`).
 */
export function serializeEventSummary(stored: StoredEvent) {
  const event = decodePayload(stored);
  const title = stored.title ?? '';
  return {
    id: stored.eventId,
    'event.type': event.type,
    groupID: String(stored.issueId),
    eventID: stored.eventId,
    projectID: String(stored.projectId),
    message: messageOf(event),
    title,
    location: stored.culprit ?? null,
    culprit: stored.culprit ?? null,
    user: serializeUser(event.user),
    tags: tagList(event),
    platform: event.platform,
    dateCreated: isoDate(stored.timestamp),
    crashFile: null,
    metadata:
      event.type === 'error'
        ? { type: stored.errorType ?? undefined, value: stored.errorValue ?? undefined }
        : { title },
  };
}

/** The log message, else the main exception's `type: value` (as Discover's `message`). */
function messageOf(event: NormalizedEvent): string {
  const logged = event.logentry?.formatted ?? event.logentry?.message;
  if (logged) return logged;
  const main = event.exception?.values.at(-1);
  const type = typeof main?.type === 'string' ? main.type : '';
  const value = typeof main?.value === 'string' ? main.value : '';
  return type && value ? `${type}: ${value}` : type || value;
}

/** Sentry lists tags sorted by key. */
function tagList(event: NormalizedEvent) {
  return Object.entries(event.tags)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => ({ key, value }));
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);
