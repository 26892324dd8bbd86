/** The outcome of one attempt to send a delivery through its target's channel. */
export interface SendResult {
  ok: boolean;
  /** Retrying cannot help (a 4xx answer, a redirect, an SMTP 5xx, a target that is gone). */
  permanent: boolean;
  /** HTTP status or SMTP reply code; null when there was none. */
  statusCode: number | null;
  /** The receiver's status or why it could not be reached, never its reply's text; never a secret. */
  detail: string;
  /** The start of its reply, scrubbed (outgoing/reply-excerpt.ts); shown only to who may change the target. */
  excerpt?: string | null;
  /** The receiver's Retry-After, when it gave one. */
  retryAfterMs?: number;
}
