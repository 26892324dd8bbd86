/**
 * Why an outgoing request (fetch) failed, in words a person can act on. fetch itself only says
 * "fetch failed"; the cause carries the system code (ECONNREFUSED, ENOTFOUND, …) or a message
 * ("bad port"). Shared by the CLI's REST client, the monitoring checks and outgoing hooks.
 */
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'DNS lookup failed',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
};

/** `connection refused (ECONNREFUSED)`, `no answer within 15s`, or `network error (bad port)`. */
export function networkFailureReason(error: unknown, timeoutMs: number): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') {
    return `no answer within ${timeoutMs / 1000}s`;
  }
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  if (code) return `${NETWORK_CODES[code] ?? 'network error'} (${code})`;
  const message = cause?.message ?? (error as Error)?.message ?? '';
  const flat = message
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .trim()
    .slice(0, 100);
  return flat ? `network error (${flat})` : 'network error';
}
