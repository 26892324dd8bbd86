import { createHmac } from 'node:crypto';
import { replyExcerpt } from './reply-excerpt.ts';

const ANSWER_BYTES = 8192;
const REASON_CHARS = 200;

/** HMAC-SHA256 of the body in hex, sent as `X-Firebreak-Signature: sha256=<hex>`. */
export const signatureOf = (secret: string, body: string): string =>
  createHmac('sha256', secret).update(body).digest('hex');

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Bounds the cause of an unreachable receiver; default: its first 200 characters. */
  boundReason?: (reason: string) => string;
}

/**
 * The receiver's answer (status null: none came) and a one-line detail naming the receiver by
 * host only, since a URL's path or query may itself be a credential (Slack-style hooks). The
 * detail never quotes the answer's body: that is the excerpt, scrubbed and short, which only
 * those who may configure the receiver are shown (docs/notifications.md).
 */
export interface PostOutcome {
  host: string;
  status: number | null;
  detail: string;
  excerpt: string | null;
  retryAfter: string | null;
}

/** The start of an answer (8 KB at most are read: the receiver is not trusted). */
async function answerOf(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off or timed out adds nothing to the status line.
  } finally {
    await reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8');
}

/**
 * POSTs a JSON body to a receiver outside Firebreak. Never throws once the URL parses. Redirects
 * are not followed: they could carry the signed body somewhere the receiver's owner never chose;
 * the caller decides what a 3xx means.
 */
export async function postJson(url: string, body: string, options: PostOptions): Promise<PostOutcome> {
  const host = new URL(url).host;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'Firebreak', ...options.headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return {
      host,
      status: response.status,
      detail: `${host} answered ${response.status}`,
      excerpt: replyExcerpt(await answerOf(response)),
      retryAfter: response.headers.get('retry-after'),
    };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      const detail = `${host} did not answer within ${options.timeoutMs / 1000} s`;
      return { host, status: null, detail, excerpt: null, retryAfter: null };
    }
    // fetch says only "fetch failed"; the cause names it (ECONNREFUSED, ENOTFOUND, "bad port").
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    // fetch's own messages quote the whole URL, which may carry credentials or a token path.
    const reason = String(cause?.code ?? cause?.message ?? (error as Error).message)
      .split(url)
      .join(host);
    const bounded = options.boundReason ? options.boundReason(reason) : reason.slice(0, REASON_CHARS);
    return {
      host,
      status: null,
      detail: `${host} could not be reached (${bounded})`,
      excerpt: null,
      retryAfter: null,
    };
  }
}
