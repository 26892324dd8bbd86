/** The outcome of one attempt to send a delivery through its target's channel. */
export interface SendResult {
  ok: boolean;
  /** Retrying cannot help (a 4xx answer, a redirect, an SMTP 5xx, a target that is gone). */
  permanent: boolean;
  /** HTTP status or SMTP reply code; null when there was none. */
  statusCode: number | null;
  /** What the receiver answered or why it could not be reached; never a secret. */
  detail: string;
  /** The receiver's Retry-After, when it gave one. */
  retryAfterMs?: number;
}
