import zlib from 'node:zlib';
import { AppError } from '../app-error.ts';
import { NOT_AN_OBJECT } from './envelope.ts';
import { INGEST_LIMITS } from './limits.ts';

const OPEN_BRACE = 0x7b;

/**
 * Legacy `/store/` body rules (relay-server/src/endpoints/store.rs `decode_bytes`, `parse_event`):
 * old raven clients send base64, or base64 of zlib-deflated JSON; Python clients emit bare NaN and
 * Infinity. The result is meant for parseJsonObject. An empty body stays empty.
 */
export function decodeStoreBody(
  body: Buffer,
  client: string | undefined,
  maxBytes = INGEST_LIMITS.maxEventBytes,
): Buffer {
  let json = startsWithBrace(body) ? body : decodeLegacy(body, maxBytes);
  if (client?.startsWith('raven-python/') || client?.startsWith('sentry-python/'))
    json = nullifyNonFinite(json);
  return json;
}

function startsWithBrace(body: Buffer): boolean {
  const first = body.findIndex((c) => c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d);
  return first < 0 || body[first] === OPEN_BRACE;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeLegacy(body: Buffer, maxBytes: number): Buffer {
  const text = body.toString('latin1').trim();
  // Buffer.from(…, 'base64') skips junk silently; Relay's decoder is strict, so check first.
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw notAnEvent(text);
  const binary = Buffer.from(text, 'base64');
  if (startsWithBrace(binary)) return binary;
  try {
    // maxOutputLength stops inflation at the cap instead of allocating the whole output.
    return zlib.inflateSync(binary, { maxOutputLength: maxBytes });
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new AppError('PAYLOAD_TOO_LARGE', 'event exceeds the size limit', { cause });
    }
    throw new AppError('VALIDATION', NEITHER, { cause });
  }
}

const NEITHER = 'request body is neither a JSON object nor a base64-encoded event';

/**
 * What to tell a client whose body is not base64. JSON that is not an object (an array, a string)
 * starts with a character base64 never uses, so it can be named as such.
 */
function notAnEvent(text: string): AppError {
  const jsonButNotObject = text.startsWith('[') || text.startsWith('"');
  return new AppError('VALIDATION', jsonButNotObject ? NOT_AN_OBJECT : NEITHER);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NON_FINITE = ['-Infinity', 'Infinity', 'NaN'].map((t) => Buffer.from(t));
const NULL = Buffer.from('null');

/**
 * Replaces NaN, Infinity and -Infinity outside strings with null. Relay's json_forensics writes
 * 0.0 in place to keep offsets; we copy, so null (what the value means) is possible.
 */
function nullifyNonFinite(json: Buffer): Buffer {
  if (json.indexOf('NaN') < 0 && json.indexOf('Infinity') < 0) return json;
  const parts: Buffer[] = [];
  let copied = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) {
      inString = true;
      continue;
    }
    const token = NON_FINITE.find((t) => t[0] === c && json.subarray(i, i + t.length).equals(t));
    if (!token) continue;
    parts.push(json.subarray(copied, i), NULL);
    i += token.length - 1;
    copied = i + 1;
  }
  parts.push(json.subarray(copied));
  return Buffer.concat(parts);
}
