import { networkFailureReason } from '../network-errors.ts';
import { cleanText } from './mask.ts';

/**
 * A read-only client of the Sentry Web API (Firebreak and Sentry answer the same paths). It has
 * no method that writes: the checks are diagnostic, and the only write any mode makes is the
 * optional smoke event, which goes to the ingest endpoint through test-event.ts.
 */

const REQUEST_TIMEOUT_MS = 15_000;

/** The server could not be reached or was unavailable: inconclusive unless --strict-network. */
export class ApiUnreachable extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'ApiUnreachable';
    this.reason = reason;
  }
}

/** The server answered and said no (401, 403, 404, 400) or did not speak the Web API. */
export class ApiRefused extends Error {
  readonly status: number;
  readonly path: string;
  readonly detail: string;
  constructor(status: number, path: string, detail: string) {
    super(`GET ${path} answered ${status}: ${detail}`);
    this.name = 'ApiRefused';
    this.status = status;
    this.path = path;
    this.detail = detail;
  }
}

export type Query = Record<string, string | number | string[] | undefined>;

export interface ApiPage<T> {
  body: T;
  nextCursor: string | null;
}

export class ApiClient {
  readonly baseUrl: string;
  readonly #token: string | null;
  /** Every request made, in order (for the evidence: which endpoints a mode read). */
  readonly requested: string[] = [];

  constructor(baseUrl: string, token: string | null) {
    this.baseUrl = baseUrl;
    this.#token = token;
  }

  async get<T>(path: string, query: Query = {}): Promise<ApiPage<T>> {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    this.requested.push(`GET ${path}`);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'GET',
        headers: {
          Accept: 'application/json',
          'User-Agent': 'firebreak-check/1',
          ...(this.#token ? { Authorization: `Bearer ${this.#token}` } : {}),
        },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new ApiUnreachable(describeNetworkError(error, url));
    }
    const text = await response.text().catch(() => '');
    // A proxy's 502/503/504 or a server error says nothing about our configuration.
    if (response.status >= 500) {
      throw new ApiUnreachable(`${url.host} answered ${response.status} for GET ${path}`);
    }
    let body: unknown;
    try {
      body = text === '' ? null : JSON.parse(text);
    } catch {
      throw new ApiRefused(
        response.status,
        path,
        'the answer is not JSON: is --url a Sentry Web API server?',
      );
    }
    if (!response.ok) {
      const detail = (body as { detail?: unknown } | null)?.detail;
      throw new ApiRefused(response.status, path, cleanText(detail ?? response.statusText, 160));
    }
    return { body: body as T, nextCursor: nextCursorOf(response.headers.get('link')) };
  }

  /** Follows `Link` cursors up to maxPages; `complete` is false when more pages were left. */
  async getAll<T>(path: string, query: Query, maxPages: number): Promise<{ items: T[]; complete: boolean }> {
    const items: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < maxPages; page++) {
      const answer = await this.get<T[]>(path, { ...query, cursor });
      if (!Array.isArray(answer.body)) throw new ApiRefused(200, path, 'expected a JSON list');
      items.push(...answer.body);
      if (!answer.nextCursor) return { items, complete: true };
      cursor = answer.nextCursor;
    }
    return { items, complete: false };
  }
}

/**
 * Sentry pages with `Link: <…>; rel="next"; results="true"; cursor="…"`. The cursor is re-sent
 * to our own base URL rather than following the link's URL, which names the server's public
 * address and may not be the one we were told to use.
 */
function nextCursorOf(link: string | null): string | null {
  if (!link) return null;
  for (const part of link.split(',')) {
    if (!/rel="next"/.test(part) || !/results="true"/.test(part)) continue;
    return /cursor="([^"]*)"/.exec(part)?.[1] ?? null;
  }
  return null;
}

function describeNetworkError(error: unknown, url: URL): string {
  return `${networkFailureReason(error, REQUEST_TIMEOUT_MS)} reaching ${url.host}`;
}
