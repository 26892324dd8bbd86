import { invalid } from '../app-error.ts';
import type { EventAttribute, EventColumn } from '../store/types-events.ts';
import { clip } from '../validation.ts';

/** Sentry's event field names (and aliases) Firebreak indexes. */
const COLUMNS: Record<string, EventColumn> = {
  id: 'id',
  project: 'project',
  'project.name': 'project',
  'project.id': 'project.id',
  issue: 'issue',
  'issue.id': 'issue.id',
  timestamp: 'timestamp',
  level: 'level',
  release: 'release',
  environment: 'environment',
  title: 'title',
  message: 'message',
  culprit: 'culprit',
  'event.type': 'event.type',
  'error.type': 'error.type',
  'error.value': 'error.value',
  transaction: 'transaction',
  user: 'user',
  'user.id': 'user.id',
  'user.email': 'user.email',
  'user.username': 'user.username',
  'user.ip': 'user.ip',
  'user.display': 'user.display',
};

/** Sentry fields that read tags Firebreak derives at ingest under another name. */
const TAG_ALIASES: Record<string, string> = { 'sdk.name': 'sdk', 'http.url': 'url' };

/**
 * Sentry fields Firebreak does not index. Refused by name rather than read as a tag (Sentry's
 * rule for unknown names), which would silently answer null.
 */
const UNSUPPORTED = new Set([
  'trace',
  'trace.span',
  'trace.parent_span',
  'platform',
  'sdk.version',
  'location',
  'error.mechanism',
  'error.handled',
  'error.unhandled',
  'error.main_thread',
  'profile.id',
  'replay.id',
  'timestamp.to_hour',
  'timestamp.to_day',
]);
const UNSUPPORTED_PREFIXES = ['span.', 'spans.', 'measurements.', 'transaction.', 'stack.', 'contexts.'];
const TAG_KEY = /^[\w.:@-]{1,200}$/;

/**
 * A field or search key → what the store reads. `tags[key]` (or `explicitTag`) is always a tag,
 * and so is `flags[name]`; any other unknown, tag-shaped name is a tag too, as in Sentry.
 */
export function resolveAttribute(name: string, explicitTag = false): EventAttribute {
  const bracketed = /^tags\[([^\]]{1,200})\]$/.exec(name);
  if (bracketed) return { tag: bracketed[1] };
  // A feature flag's evaluated value is the tag `flags[name]` (src/digest/normalize.ts).
  if (/^flags\[[^\]]{1,200}\]$/.test(name)) return { tag: name };
  if (explicitTag) return { tag: name };
  const column = COLUMNS[name];
  if (column) return { column };
  if (TAG_ALIASES[name]) return { tag: TAG_ALIASES[name] };
  if (UNSUPPORTED.has(name) || UNSUPPORTED_PREFIXES.some((prefix) => name.startsWith(prefix)))
    throw invalid(`field "${clip(name)}" is not supported by Firebreak`);
  if (!TAG_KEY.test(name)) throw invalid(`invalid field "${clip(name)}"`);
  return { tag: name };
}
