import { isSensitiveKey, scrubString } from '../digest/scrub.ts';

/**
 * What Firebreak keeps of a reply from outside (a webhook's answer body, an SMTP reply, a command
 * hook's output): a reply may carry the called service's secrets or internals, so it is scrubbed
 * like event text, put on one line and cut short. Only those who may configure the receiver are
 * shown it; everyone else sees the status alone.
 */
export const EXCERPT_CHARS = 300;

/** How much of a reply is scrubbed before the excerpt is cut from it. */
const WINDOW_CHARS = 16 * EXCERPT_CHARS;

export function replyExcerpt(text: string, keep: 'start' | 'end' = 'start'): string | null {
  // Scrubbed before it is cut, so a secret's key is still beside its value when it is judged.
  // Control characters too: a reply is untrusted text and may be printed to a terminal (the CLI).
  const line = scrubReply(boundedWindow(text, keep))
    .replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
  if (!line) return null;
  if (line.length <= EXCERPT_CHARS) return line;
  return keep === 'start' ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : `…${line.slice(1 - EXCERPT_CHARS)}`;
}

/**
 * At most WINDOW_CHARS from the kept end, less the word the cut went through: cut inside a key
 * ("…rd=hunter2"), the value would no longer be known for a secret.
 */
function boundedWindow(text: string, keep: 'start' | 'end'): string {
  if (text.length <= WINDOW_CHARS) return text;
  if (keep === 'start') {
    const window = text.slice(0, WINDOW_CHARS);
    const lastSpace = window.search(/\s\S*$/);
    return lastSpace > 0 ? window.slice(0, lastSpace) : '';
  }
  const window = text.slice(-WINDOW_CHARS);
  const firstSpace = window.search(/\s/);
  return firstSpace >= 0 ? window.slice(firstSpace + 1) : '';
}

/**
 * A key and its value as JSON, YAML, headers and logs write them: `"password": "…"`,
 * `token: …`, `Set-Cookie: …`. Event scrubbing sees such text as an object's keys; a reply is
 * text, so a sensitive key's value is filtered here too.
 */
const KEYED_VALUE =
  /(["']?)([\w.-]{1,64})\1(\s*[:=]\s*)(\[Filtered\]|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,;&"'}\]]+)/g;

/** Event text scrubbing (key=value, credentials, cards, keys), then sensitive keys' values. */
function scrubReply(text: string): string {
  return scrubString(text).replace(
    KEYED_VALUE,
    (match, quote: string, key: string, separator: string, value: string) => {
      if (!isSensitiveKey(key) || value === '[Filtered]') return match;
      const filtered = value.startsWith('"')
        ? '"[Filtered]"'
        : value.startsWith("'")
          ? "'[Filtered]'"
          : '[Filtered]';
      return `${quote}${key}${quote}${separator}${filtered}`;
    },
  );
}

/**
 * Splits a detail written before replies were kept apart ("host answered 503: <the body>") into
 * its status line and the reply, scrubbed as a new one would be. `statusLine` matches the status
 * line; a detail it does not match is Firebreak's own text and stays whole.
 */
export function splitLegacyDetail(
  detail: string,
  statusLine: RegExp,
  keep: 'start' | 'end' = 'start',
): { detail: string; excerpt: string | null } {
  const match = statusLine.exec(detail);
  if (!match) return { detail, excerpt: null };
  const rest = detail.slice(match[0].length).replace(/^: /, '');
  return { detail: match[0], excerpt: rest ? replyExcerpt(rest, keep) : null };
}

/** "host answered 503" (HTTP, from outgoing/post.ts) before ": <body>". */
export const ANSWERED = /^\S+ answered \d{3}(?=: |$)/;
