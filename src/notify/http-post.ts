import { postJson } from '../outgoing/post.ts';
import type { SendResult } from './send-result.ts';

/** Retry-After in seconds or as an HTTP date. */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * POSTs a delivery's JSON body (see postJson: no redirects, capped answer). 408, 425, 429 and 5xx
 * are worth retrying, as are no answer at all; other answers are final.
 */
export async function postDelivery(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<SendResult> {
  const { host, status, detail, excerpt, retryAfter } = await postJson(url, body, { headers, timeoutMs });
  if (status === null) return { ok: false, permanent: false, statusCode: null, detail };
  if (status >= 200 && status < 300)
    return { ok: true, permanent: false, statusCode: status, detail, excerpt };
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
    excerpt,
    retryAfterMs: retryAfterMs(retryAfter, Date.now()),
  };
}
