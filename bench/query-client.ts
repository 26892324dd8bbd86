/**
 * The query benchmark's HTTP side: authenticated GETs against the real server on 127.0.0.1,
 * timed from sending the request to reading the whole body.
 */

export interface ApiClient {
  get(path: string): Promise<ApiResponse>;
}

export interface ApiResponse {
  ms: number;
  body: unknown;
  /** The `cursor` of the Link header's rel="next" when it has results. */
  nextCursor: string | null;
}

export function createClient(origin: string, token: string): ApiClient {
  return {
    async get(path) {
      const started = performance.now();
      const response = await fetch(`${origin}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 200)
        throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
      return { ms, body: JSON.parse(text), nextCursor: nextCursorOf(response.headers.get('link')) };
    },
  };
}

function nextCursorOf(link: string | null): string | null {
  const match = /rel="next"; results="true"; cursor="([^"]*)"/.exec(link ?? '');
  return match ? match[1] : null;
}

export interface IssueSummary {
  id: string;
  count: number;
  project: string;
  status: string;
  lastSeen: string;
}

/** Every issue of the projects, busiest first; unmeasured, it picks the ids the timed requests use. */
export async function discoverIssues(
  client: ApiClient,
  org: string,
  projects: string[],
): Promise<IssueSummary[]> {
  const all: IssueSummary[] = [];
  for (const project of projects) {
    let cursor: string | null = '';
    while (cursor !== null) {
      const query = `query=&sort=freq&statsPeriod=&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = await client.get(`/api/0/projects/${org}/${project}/issues/?${query}`);
      for (const issue of page.body as Record<string, unknown>[]) {
        all.push({
          id: String(issue.id),
          count: Number(issue.count),
          project,
          status: String(issue.status),
          lastSeen: String(issue.lastSeen),
        });
      }
      cursor = page.nextCursor;
    }
  }
  return all.sort((a, b) => b.count - a.count);
}
