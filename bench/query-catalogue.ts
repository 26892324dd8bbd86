import type { ApiClient, IssueSummary } from './query-client.ts';
import { PROJECT_SLUGS, RELEASES, releaseName } from './query-dataset.ts';
import { randomIndex } from './random.ts';

/**
 * The timed requests: what a person triaging does in the UI, sentry-cli or Sentry's MCP server —
 * filtered and sorted issue lists, an issue's page, and its events. Each query cycles through a
 * fixed list of paths (random issues are drawn once, from a seeded stream).
 */

export type QueryGroup = 'list' | 'detail' | 'events';

export interface QuerySpec {
  name: string;
  group: QueryGroup;
  paths: string[];
}

/** Issues this busy or busier count as hot: the top of the Zipf curve. */
const HOT_ISSUES = 20;
const COLD_SAMPLE = 200;

export async function buildCatalogue(
  client: ApiClient,
  org: string,
  issues: IssueSummary[],
  random: () => number,
): Promise<QuerySpec[]> {
  const project = `/api/0/projects/${org}/${PROJECT_SLUGS[0]}/issues/`;
  const orgIssues = `/api/0/organizations/${org}/issues/`;
  const list = (name: string, path: string, query: Record<string, string>): QuerySpec => ({
    name,
    group: 'list',
    paths: [`${path}?${new URLSearchParams(query)}`],
  });
  const hot = issues.slice(0, HOT_ISSUES);
  const tail = issues.slice(Math.floor(issues.length / 2));
  const cold = Array.from(
    { length: Math.min(COLD_SAMPLE, tail.length) },
    () => tail[randomIndex(random, tail.length)],
  );
  const detail = (issue: IssueSummary) => `${orgIssues}${issue.id}/`;
  const events = (issue: IssueSummary) => `${orgIssues}${issue.id}/events/?per_page=50`;
  const secondPages: string[] = [];
  for (const issue of hot) {
    const first = await client.get(events(issue));
    if (first.nextCursor) secondPages.push(`${events(issue)}&cursor=${encodeURIComponent(first.nextCursor)}`);
  }
  return [
    list('list: default (sentry-cli)', project, {}),
    list('list: is:unresolved level:error, freq', project, {
      query: 'is:unresolved level:error',
      sort: 'freq',
      statsPeriod: '24h',
      limit: '25',
    }),
    list('list: release + environment, date', project, {
      query: `release:${releaseName(0, RELEASES - 3)} environment:production`,
      sort: 'date',
      limit: '25',
    }),
    list('list: times_seen:>100, user', project, { query: 'times_seen:>100', sort: 'user', limit: '25' }),
    list('list: free text, date', project, { query: 'is:unresolved failed for billing', sort: 'date' }),
    // Found through the events' user fields: the `user` tag names the id.
    list('list: user.email, date', project, { query: 'user.email:u17@example.com', sort: 'date' }),
    list('list: firstSeen:-7d, new', project, {
      query: 'is:unresolved firstSeen:-7d',
      sort: 'new',
      statsPeriod: '14d',
    }),
    list('list: org, environment, date', orgIssues, {
      project: '-1',
      query: 'is:unresolved environment:production',
      sort: 'date',
      statsPeriod: '14d',
      limit: '25',
    }),
    list('list: org, level:error, freq 24h', orgIssues, {
      project: '-1',
      query: 'is:unresolved level:error',
      sort: 'freq',
      statsPeriod: '24h',
      limit: '25',
    }),
    { name: 'detail: hot issues', group: 'detail', paths: hot.map(detail) },
    { name: 'detail: cold issues', group: 'detail', paths: cold.map(detail) },
    { name: 'events: hot, page 1', group: 'events', paths: hot.map(events) },
    { name: 'events: hot, page 2 (cursor)', group: 'events', paths: secondPages },
    { name: 'events: cold, page 1', group: 'events', paths: cold.map(events) },
  ];
}
