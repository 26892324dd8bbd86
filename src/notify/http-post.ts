import { createHmac } from 'node:crypto';
import type { SendResult } from './send-result.ts';

const ANSWER_BYTES = 8192;
const DETAIL_CHARS = 500;

/** The start of an answer (8 KB at most are read: the receiver is not trusted), on one line. */
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
  const text = Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > DETAIL_CHARS ? `${text.slice(0, DETAIL_CHARS)}…` : text;
}

export const signatureOf = (secret: string, body: string): string =>
  createHmac('sha256', secret).update(body).digest('hex');

/** Retry-After in seconds or as an HTTP date. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POSTs a JSON body. Redirects are not followed (they could carry the signed body somewhere the
 * target's owner never chose); 408, 425, 429 and 5xx are worth retrying, other answers are final.
 * The receiver is named by host only: a URL's path may itself be a credential (Slack).
 */
export async function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> {
  const host = new URL(url).host;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'Firebreak', ...headers },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await answerOf(response);
    const status = response.status;
    const detail = `${host} answered ${status}${text ? `: ${text}` : ''}`;
    if (status >= 200 && status < 300) return { ok: true, permanent: false, statusCode: status, detail };
    if (status >= 300 && status < 400) {
      return {
        ok: false,
        permanent: true,
        statusCode: status,
        detail: `${host} answered a redirect (${status}), not followed`,
      };
    }
    const transient = status >= 500 || status === 408 || status === 425 || status === 429;
    return {
      ok: false,
      permanent: !transient,
      statusCode: status,
      detail,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after'), Date.now()),
    };
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return {
        ok: false,
        permanent: false,
        statusCode: null,
        detail: `${host} did not answer within ${timeoutMs / 1000} s`,
      };
    }
    // fetch says only "fetch failed"; the cause names it (ECONNREFUSED, ENOTFOUND, "bad port").
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = String(cause?.code ?? cause?.message ?? (error as Error).message).slice(0, 200);
    return {
      ok: false,
      permanent: false,
      statusCode: null,
      detail: `${host} could not be reached (${reason})`,
    };
  }
}
