import { AppError, type AppErrorCode } from '../app-error.ts';
import { networkFailureReason } from '../network-errors.ts';

/**
 * The REST client CLI commands use to talk to a Firebreak server: Bearer token, JSON in and out,
 * and `{"detail": …}` errors turned into AppErrors so `reportError` gives the usual exit codes.
 * Which server and token it talks to is decided in `connect.ts`.
 */

/** Long enough for a mitigation whose hook runs a rollback command before the server answers. */
const REQUEST_TIMEOUT_MS = 60_000;
const MAX_DETAIL_CHARS = 500;

export type Query = Record<string, string | undefined>;

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Absolute API path, e.g. `/api/0/organizations/acme/incidents/`. */
  path: string;
  query?: Query;
  body?: unknown;
}

export class ApiClient {
  readonly baseUrl: string;
  readonly #token: string | null;

  constructor(target: { baseUrl: string; token: string | null }) {
    this.baseUrl = target.baseUrl;
    this.#token = target.token;
  }

  /** The parsed JSON answer (null for an empty one, e.g. 204). */
  async request<T = unknown>(req: ApiRequest): Promise<T> {
    return (await this.send<T>(req)).body;
  }

  /** The answer with the `Link` header's next cursor, for lists that page. */
  async send<T = unknown>(req: ApiRequest): Promise<{ body: T; nextCursor: string | null }> {
    if (!this.#token) {
      throw new AppError('UNAUTHORIZED', 'no API token: set FIREBREAK_TOKEN (see `firebreak token create`)');
    }
    const url = new URL(`${this.baseUrl}${req.path}`);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const what = `${req.method} ${req.path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method: req.method,
        headers: {
          Accept: 'application/json',
          Authorization: `Bearer ${this.#token}`,
          'User-Agent': 'firebreak-cli/1',
          ...(req.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      text = await response.text();
    } catch (error) {
      throw new AppError('UNAVAILABLE', describeNetworkError(error, url), { cause: error });
    }
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        if (response.ok) {
          throw new AppError(
            'UNAVAILABLE',
            `${url.host} did not answer JSON for ${what}: is ${this.baseUrl} a Firebreak server?`,
          );
        }
      }
    }
    if (!response.ok) throw errorFromResponse(response, body, what);
    return { body: body as T, nextCursor: nextCursorOf(response.headers.get('link')) };
  }
}

/** Sentry's `Link: <…>; rel="next"; results="true"; cursor="…"` (reference/sentry-clients.md). */
function nextCursorOf(link: string | null): string | null {
  for (const part of link?.split(',') ?? []) {
    if (/rel="next"/.test(part) && /results="true"/.test(part))
      return /cursor="([^"]*)"/.exec(part)?.[1] ?? null;
  }
  return null;
}

function codeForStatus(status: number): AppErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 502 || status === 503 || status === 504) return 'UNAVAILABLE';
  if (status >= 500) return 'INTERNAL';
  return 'VALIDATION';
}

function errorFromResponse(response: Response, body: unknown, what: string): AppError {
  const code = codeForStatus(response.status);
  const detail = (body as { detail?: unknown } | null)?.detail;
  const text = detail === undefined ? '' : typeof detail === 'string' ? detail : JSON.stringify(detail);
  // A 404 or a server error is clearer with the request it answered (a missing route reads the same).
  const context = `${response.status} for ${what}`;
  let message: string;
  if (!text) message = `the server answered ${context}`;
  else if (code === 'NOT_FOUND' || response.status >= 500) message = `${cleanDetail(text)} (${context})`;
  else message = cleanDetail(text);
  const retryAfter = Number(response.headers.get('retry-after'));
  return new AppError(code, message, Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfter } : {});
}

/** Server text goes to a terminal: no control characters (escape sequences), bounded length. */
function cleanDetail(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return flat.length > MAX_DETAIL_CHARS ? `${flat.slice(0, MAX_DETAIL_CHARS)}…` : flat;
}

function describeNetworkError(error: unknown, url: URL): string {
  const reason = networkFailureReason(error, REQUEST_TIMEOUT_MS);
  return `cannot reach Firebreak at ${url.origin}: ${reason}; is the server running, and is --url / FIREBREAK_URL right?`;
}
