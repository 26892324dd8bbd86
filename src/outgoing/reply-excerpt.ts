import { scrubString } from '../digest/scrub.ts';

/**
 * What Firebreak keeps of a reply from outside (a webhook's answer body, an SMTP reply, a command
 * hook's output): a reply may carry the called service's secrets or internals, so it is scrubbed
 * like event text, put on one line and cut short. Only those who may configure the receiver are
 * shown it; everyone else sees the status alone.
 */
export const EXCERPT_CHARS = 300;

export function replyExcerpt(text: string, keep: 'start' | 'end' = 'start'): string | null {
  // Scrubbed before it is cut, on a bounded slice: a secret's key must still be beside its value.
  const slice = keep === 'start' ? text.slice(0, 4 * EXCERPT_CHARS) : text.slice(-4 * EXCERPT_CHARS);
  // Control characters too: a reply is untrusted text and may be printed to a terminal (the CLI).
  const line = scrubString(slice)
    .replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim();
  if (!line) return null;
  if (line.length <= EXCERPT_CHARS) return line;
  return keep === 'start' ? `${line.slice(0, EXCERPT_CHARS)}…` : `…${line.slice(-EXCERPT_CHARS)}`;
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
