import { AppError } from '../app-error.ts';
import { type IngestLimits, itemGroupLimit } from './limits.ts';

export interface EnvelopeItem {
  headers: { type: string; length?: number; [k: string]: unknown };
  /** A view into the request body, not a copy. */
  payload: Buffer;
}

export interface Envelope {
  headers: Record<string, unknown>;
  items: EnvelopeItem[];
}

const NEWLINE = 0x0a;
/**
 * Envelope and item headers are a few hundred bytes (ids, sdk, trace context); a larger line is
 * not an SDK's. Without a cap, a 30 KB gzip body decoding to one 30 MB header line held the event
 * loop in JSON.parse for seconds and took a gigabyte of memory.
 */
const MAX_HEADER_LINE_BYTES = 64 * 1024;
/** No SDK sends more (attachments are capped at 30); millions of tiny items took seconds to frame. */
const MAX_ITEMS = 1000;

/**
 * Parses the envelope byte format (reference/sentry-protocol.md §2.1; relay-server/src/envelope/mod.rs
 * `Envelope::parse_headers` / `parse_item`) and enforces the per-item size and count limits.
 * Unknown item types are kept; the caller decides what to drop.
 */
export function parseEnvelope(body: Buffer, limits: IngestLimits): Envelope {
  if (body.length === 0) throw invalid('empty request body');
  if (body.length > limits.maxEnvelopeBytes) throw tooLarge('envelope exceeds the size limit');

  const headerEnd = lineEnd(body, 0);
  const headers = parseHeaderLine(
    body.subarray(0, headerEnd),
    limits.maxJsonDepth,
    'invalid envelope header',
  );
  const items: EnvelopeItem[] = [];
  const budget = new ItemBudget(limits);
  let pos = headerEnd + 1;

  // Relay rejects a trailing blank line; nothing is lost by tolerating it (SDKs differ here).
  while (pos < body.length && !isBlank(body, pos)) {
    const itemHeaderEnd = lineEnd(body, pos);
    const itemHeaders = parseItemHeaders(body.subarray(pos, itemHeaderEnd), limits.maxJsonDepth);
    const start = Math.min(itemHeaderEnd + 1, body.length);
    let end: number;
    if (itemHeaders.length === undefined) {
      end = lineEnd(body, start);
    } else {
      end = start + itemHeaders.length;
      if (end > body.length) throw invalid('item length exceeds the envelope');
      if (end < body.length && body[end] !== NEWLINE) throw invalid('missing newline after item payload');
    }
    const payload = body.subarray(start, end);
    budget.spend(itemHeaders.type, payload.length);
    if (items.push({ headers: itemHeaders, payload }) > MAX_ITEMS)
      throw tooLarge(`more than ${MAX_ITEMS} items in the envelope`);
    pos = end + 1;
  }
  return { headers, items };
}

/** Index of the next `\n` at or after `from`, or the body length. */
function lineEnd(body: Buffer, from: number): number {
  const nl = body.indexOf(NEWLINE, from);
  return nl < 0 ? body.length : nl;
}

function isBlank(body: Buffer, from: number): boolean {
  for (let i = from; i < body.length; i++) {
    const c = body[i];
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== NEWLINE) return false;
  }
  return true;
}

function parseHeaderLine(line: Buffer, maxDepth: number, message: string): Record<string, unknown> {
  if (line.length > MAX_HEADER_LINE_BYTES) throw invalid(`${message}: longer than 64 KiB`);
  if (jsonDepthExceeds(line, maxDepth)) throw invalid('JSON nesting too deep');
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch (cause) {
    throw new AppError('VALIDATION', message, { cause });
  }
  if (!isPlainObject(value)) throw invalid(message);
  return value;
}

function parseItemHeaders(line: Buffer, maxDepth: number): EnvelopeItem['headers'] {
  const headers = parseHeaderLine(line, maxDepth, 'invalid item header');
  if (typeof headers.type !== 'string' || headers.type === '') throw invalid('item header without a type');
  // Relay's `length: Option<u32>`: null means absent, anything but a byte count is malformed.
  if (headers.length === null) delete headers.length;
  const length = headers.length;
  if (length !== undefined && !(Number.isSafeInteger(length) && (length as number) >= 0)) {
    throw invalid('invalid item length');
  }
  return headers as EnvelopeItem['headers'];
}

/** Per-group counts and totals, after relay-server/src/utils/sizes.rs `check_envelope_size_limits`. */
class ItemBudget {
  private readonly limits: IngestLimits;
  private readonly used = new Map<string, { count: number; bytes: number }>();

  constructor(limits: IngestLimits) {
    this.limits = limits;
  }

  spend(type: string, bytes: number): void {
    const limit = itemGroupLimit(type, this.limits);
    if (!limit) return;
    // Only our own group name goes into messages; the item type is client input.
    if (bytes > limit.itemBytes) throw tooLarge(`${limit.group} item exceeds the size limit`);
    const used = this.used.get(limit.group) ?? { count: 0, bytes: 0 };
    used.count += 1;
    used.bytes += bytes;
    this.used.set(limit.group, used);
    if (used.count > limit.maxCount) throw tooLarge(`too many ${limit.group} items in the envelope`);
    if (used.bytes > limit.totalBytes) throw tooLarge(`${limit.group} items exceed the total size limit`);
  }
}

const HEX_ID = /^[0-9a-f]{32}$/i;
const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Event ids arrive as 32 hex or a dashed UUID (sentry-cli's envelope header); store 32 lowercase hex. */
export function normalizeEventId(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  if (HEX_ID.test(v)) return v.toLowerCase();
  if (DASHED_UUID.test(v)) return v.replaceAll('-', '').toLowerCase();
  return null;
}

export const NOT_AN_OBJECT = 'event payload must be a JSON object';

/** Parses an item payload that must be a JSON object, refusing deep nesting before JSON.parse sees it. */
export function parseJsonObject(buf: Buffer, maxDepth: number): Record<string, unknown> {
  if (jsonDepthExceeds(buf, maxDepth)) throw invalid('JSON nesting too deep');
  let value: unknown;
  try {
    value = JSON.parse(buf.toString('utf8'));
  } catch (cause) {
    throw new AppError('VALIDATION', 'invalid JSON', { cause });
  }
  if (!isPlainObject(value)) throw invalid(NOT_AN_OBJECT);
  return value;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Counts bracket nesting outside strings in one linear pass, so hostile nesting is refused before
 * JSON.parse builds it (and before any recursive walk over the result could overflow the stack).
 * Malformed JSON may slip through here; JSON.parse rejects it next.
 */
export function jsonDepthExceeds(buf: Buffer, maxDepth: number): boolean {
  let depth = 0;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      i = closingQuote(buf, i + 1);
      if (i < 0) return false;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Short strings are stepped through inline; long ones jump by memchr (indexOf), ~30x faster on big blobs. */
function closingQuote(buf: Buffer, from: number): number {
  const inlineEnd = Math.min(buf.length, from + 64);
  let i = from;
  for (; i < inlineEnd; i++) {
    const c = buf[i];
    if (c === QUOTE) return i;
    if (c === BACKSLASH) i++;
  }
  for (;;) {
    const q = buf.indexOf(QUOTE, i);
    if (q < 0) return -1;
    let j = q - 1;
    while (j >= from && buf[j] === BACKSLASH) j--;
    if ((q - j) % 2 === 1) return q;
    i = q + 1;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): AppError {
  return new AppError('VALIDATION', message);
}

function tooLarge(message: string): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', message);
}
