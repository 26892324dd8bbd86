/**
 * JSON escapes a string column cannot hold as sent, rewritten to `\ufffd` (the same six bytes)
 * in the raw item before it is parsed, so every string, key and tag of the event is storable:
 * - `\u0000`: PostgreSQL text and jsonb cannot hold U+0000 (the event failed with a 500);
 * - a lone surrogate (`\ud800` not followed by a low one, or a low one alone): SQLite stores it
 *   as U+FFFD while the stored payload kept the escape, so a release, tag or title read back
 *   differently from what grouping, counting and search had used.
 * An escaped backslash before `u…` (`\\u0000`) is text, not an escape, and is left as sent.
 * Events without these escapes are not copied.
 */
export function withStorableEscapes(bytes: Buffer): Buffer {
  const spots = [...escapesOf(bytes, NUL_ESCAPE), ...escapesOf(bytes, LOWER_D), ...escapesOf(bytes, UPPER_D)];
  if (spots.length === 0) return bytes;
  spots.sort((a, b) => a - b);
  let copy: Buffer | null = null;
  const replace = (at: number) => {
    copy ??= Buffer.from(bytes);
    REPLACEMENT_ESCAPE.copy(copy, at);
  };
  for (let i = 0; i < spots.length; i++) {
    const at = spots[i];
    const kind = escapeKind(bytes, at);
    if (kind === 'high' && escapeKind(bytes, at + 6) === 'low' && spots[i + 1] === at + 6) {
      i++; // a well-formed pair
    } else if (kind !== null) {
      replace(at);
    }
  }
  return copy ?? bytes;
}

const NUL_ESCAPE = Buffer.from('\\u0000');
const LOWER_D = Buffer.from('\\ud');
const UPPER_D = Buffer.from('\\uD');
const REPLACEMENT_ESCAPE = Buffer.from('\\ufffd');
const BACKSLASH = 0x5c;

/** Where `pattern` starts an escape (not text after an escaped backslash). */
function* escapesOf(bytes: Buffer, pattern: Buffer): Generator<number> {
  for (let at = bytes.indexOf(pattern); at >= 0; at = bytes.indexOf(pattern, at + 1)) {
    if (!isEscapedBackslash(bytes, at)) yield at;
  }
}

/** What the six bytes at `at` are: `\u0000`, a high or low surrogate escape, or neither. */
function escapeKind(bytes: Buffer, at: number): 'nul' | 'high' | 'low' | null {
  if (at + 6 > bytes.length || bytes[at] !== BACKSLASH || bytes[at + 1] !== 0x75) return null;
  const text = bytes.toString('latin1', at + 2, at + 6);
  if (text === '0000') return 'nul';
  if (!/^[dD][0-9a-fA-F]{3}$/.test(text)) return null;
  const second = Number.parseInt(text[1], 16);
  if (second >= 0xc) return 'low';
  return second >= 0x8 ? 'high' : null;
}

/** Whether the backslash at `at` is itself escaped: an odd run of backslashes before it. */
function isEscapedBackslash(bytes: Buffer, at: number): boolean {
  let run = 0;
  while (at - run - 1 >= 0 && bytes[at - run - 1] === BACKSLASH) run++;
  return run % 2 === 1;
}
