import { jsonDepthExceeds } from '../ingest/envelope.ts';
import { withStorableEscapes } from './json-escapes.ts';
import { isSensitiveKey } from './scrub.ts';

/** Bodies past this are left as text (the scrubber keeps the first 16 KiB of any string). */
const MAX_PARSED_BODY_CHARS = 64 * 1024;
const MAX_BODY_DEPTH = 32;

/**
 * A request body captured as JSON text, which is what `@sentry/node` sends (`request.data`, the
 * body's text), parsed into the value it holds, as Relay does: the scrubber filters values by
 * key, and inside a string a JSON `"password": "…"` is no key to it, so a login body was stored
 * with its password. Returns undefined when `data` does not start as a JSON object or array; a
 * body nested too deep to walk is withheld whole; one that does not parse (an SDK cuts long
 * bodies) stays text with the values of its sensitive keys filtered.
 */
export function parsedJsonBody(data: unknown): { value: unknown } | undefined {
  if (typeof data !== 'string' || data.length > MAX_PARSED_BODY_CHARS) return undefined;
  const start = data.trimStart()[0];
  if (start !== '{' && start !== '[') return undefined;
  const bytes = withStorableEscapes(Buffer.from(data));
  if (jsonDepthExceeds(bytes, MAX_BODY_DEPTH)) return { value: '[Filtered]' };
  try {
    return { value: JSON.parse(bytes.toString()) };
  } catch {
    return { value: data.replace(JSON_MEMBER, filterMember) };
  }
}

/** `"key": value` in JSON text: a string (perhaps cut short) or a bare number, literal or word. */
const JSON_MEMBER = /"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^\s,}\]]+)/g;

function filterMember(member: string, key: string, colon: string): string {
  return isSensitiveKey(key) ? `"${key}"${colon}"[Filtered]"` : member;
}
