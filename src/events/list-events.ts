import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { getIssue } from '../issues/get-issue.ts';
import { latestReleaseVersions } from '../issues/latest-release.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { Issue, Org, Project, StoredEvent } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { eventCursor, parseEventCursor } from './cursors.ts';
import { issueResolver } from './projects.ts';
import { EventListInput } from './schemas.ts';
import { parseEventQuery } from './search-query.ts';
import { parseTimeRange } from './time-range.ts';

/** A page stops early past this many payload bytes, so one response stays bounded. */
const MAX_PAGE_BYTES = 8 * 1024 * 1024;

export interface EventPage {
  org: Org;
  project: Project;
  events: StoredEvent[];
  /** Whole events were asked for (`full=true`): `issues` then holds each event's issue. */
  full: boolean;
  issues: Map<number, Issue>;
  nextCursor: string | null;
}

/** `GET /organizations/{org}/issues/{id}/events/`: the issue's events, newest first by default. */
export async function listIssueEvents(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string } & Record<string, unknown>,
): Promise<EventPage> {
  const { org, project, issue } = await getIssue(ctx, principal, { org: input.org, issueId: input.issueId });
  return { org, project, ...(await listEvents(ctx, org, project, input, issue)) };
}

/** `GET /projects/{org}/{project}/events/`: the project's events, newest first. */
export async function listProjectEvents(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string } & Record<string, unknown>,
): Promise<EventPage> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  return { org, project, ...(await listEvents(ctx, org, project, input)) };
}

async function listEvents(ctx: AppContext, org: Org, project: Project, input: unknown, issue?: Issue) {
  const parsed = parseInput(EventListInput, input);
  const now = ctx.clock.now();
  const { filters } = await parseEventQuery(parsed.query, {
    now,
    projects: [project],
    resolveIssue: issueResolver(ctx, org, [project]),
    latestReleases: () => latestReleaseVersions(ctx, org.id, [project]),
    allowAggregates: false,
  });
  if (parsed.environment.length > 0)
    filters.push({ kind: 'in', attr: { column: 'environment' }, negated: false, values: parsed.environment });
  const page = await ctx.store.events.search({
    orgId: org.id,
    projectIds: [project.id],
    issueId: issue?.id,
    ...parseTimeRange(parsed, now),
    filters,
    order: parsed.sort === '-timestamp' ? 'newest' : 'oldest',
    limit: parsed.per_page,
    after: parseEventCursor(parsed.cursor),
  });
  const events = withinBudget(page.events);
  const more = page.hasMore || events.length < page.events.length;
  return {
    events,
    full: parsed.full,
    issues: parsed.full ? await issuesOf(ctx, events, issue) : new Map<number, Issue>(),
    nextCursor: more && events.length > 0 ? eventCursor(events[events.length - 1]) : null,
  };
}

/** Each event's issue (an event deleted with its issue between the two reads has none). */
async function issuesOf(ctx: AppContext, events: StoredEvent[], known?: Issue): Promise<Map<number, Issue>> {
  const issues = new Map<number, Issue>(known ? [[known.id, known]] : []);
  for (const id of new Set(events.map((e) => e.issueId))) {
    if (issues.has(id)) continue;
    const issue = await ctx.store.issues.getById(id);
    if (issue) issues.set(id, issue);
  }
  return issues;
}

function withinBudget(events: StoredEvent[]): StoredEvent[] {
  let bytes = 0;
  const kept: StoredEvent[] = [];
  for (const event of events) {
    bytes += event.size;
    if (kept.length > 0 && bytes > MAX_PAGE_BYTES) break;
    kept.push(event);
  }
  return kept;
}
