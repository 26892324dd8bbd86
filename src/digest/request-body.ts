import { jsonDepthExceeds } from '../ingest/envelope.ts';
import { withStorableEscapes } from './json-escapes.ts';
import { isSensitiveKey } from './scrub.ts';

/** Bodies past this stay text, filtered by key (the scrubber keeps the first 16 KiB of any string). */
const MAX_PARSED_BODY_CHARS = 64 * 1024;
const MAX_BODY_DEPTH = 32;
const FILTERED = '"[Filtered]"';

/**
 * A request body captured as JSON text, which is what `@sentry/node` sends (`request.data`, the
 * body's text), parsed into the value it holds, as Relay does: the scrubber filters values by
 * key, and inside a string a JSON `"password": "…"` is no key to it, so a login body was stored
 * with its password. Returns undefined when `data` does not start as a JSON object or array. A
 * body nested too deep to walk is withheld whole; one too long to parse here, or that does not
 * parse (an SDK cuts long bodies), stays text with the values of its sensitive keys filtered.
 */
export function parsedJsonBody(data: unknown): { value: unknown } | undefined {
  if (typeof data !== 'string' || !/^\s*[[{]/.test(data)) return undefined;
  if (data.length > MAX_PARSED_BODY_CHARS) return { value: filterJsonText(data) };
  const bytes = withStorableEscapes(Buffer.from(data));
  if (jsonDepthExceeds(bytes, MAX_BODY_DEPTH)) return { value: '[Filtered]' };
  try {
    return { value: JSON.parse(bytes.toString()) };
  } catch {
    return { value: filterJsonText(data) };
  }
}

/**
 * JSON text, whole or cut short, with the value of every sensitive key replaced: a string, a
 * number or word, or a whole object or array (to its closing bracket, or to the end of a text
 * cut inside it). One pass, each character looked at a bounded number of times, whatever the
 * input: a regex over hostile text (`{\"\"\"…`) took seconds per event.
 */
export function filterJsonText(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) !== QUOTE) {
      i++;
      continue;
    }
    const keyEnd = stringEnd(text, i);
    let colon = keyEnd;
    while (colon < text.length && isSpace(text.charCodeAt(colon))) colon++;
    if (text.charCodeAt(colon) !== COLON || !isSensitiveKey(text.slice(i + 1, keyEnd - 1))) {
      i = keyEnd;
      continue;
    }
    let value = colon + 1;
    while (value < text.length && isSpace(text.charCodeAt(value))) value++;
    if (value >= text.length) break;
    const valueEnd = jsonValueEnd(text, value);
    parts.push(text.slice(copied, value), FILTERED);
    copied = i = valueEnd;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** A number, literal or word runs to whitespace, a comma or a closing bracket. */
function endsBareToken(code: number): boolean {
  return isSpace(code) || code === 0x2c || code === 0x7d || code === 0x5d;
}

/** Just past the string starting at `start` (a quote), or the end of a text cut inside it. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i + 1;
  }
  return text.length;
}

/** Just past the value starting at `start`: a string, an object or array, or a bare token. */
function jsonValueEnd(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first === QUOTE) return stringEnd(text, start);
  if (first === 0x7b || first === 0x5b) {
    let depth = 0;
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === QUOTE) i = stringEnd(text, i) - 1;
      else if (code === 0x7b || code === 0x5b) depth++;
      else if ((code === 0x7d || code === 0x5d) && --depth === 0) return i + 1;
    }
    return text.length;
  }
  let i = start;
  while (i < text.length && !endsBareToken(text.charCodeAt(i))) i++;
  return i;
}
