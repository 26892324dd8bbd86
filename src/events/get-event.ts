import { notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { normalizeEventId } from '../ingest/envelope.ts';
import { getIssue, type IssueWithProject } from '../issues/get-issue.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { StoredEvent } from '../store/types.ts';

export type FoundEvent = IssueWithProject & { event: StoredEvent };

/**
 * `GET /organizations/{org}/issues/{id}/events/{event_id}/`, where the event id may also be
 * `latest`, `oldest` or `recommended` (Sentry's pick; here the latest).
 */
export async function getIssueEvent(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; issueId: string; eventId: string },
): Promise<FoundEvent> {
  const found = await getIssue(ctx, principal, input);
  const { issue, project } = found;
  let event: StoredEvent | null = null;
  if (input.eventId === 'latest' || input.eventId === 'recommended') {
    event = await ctx.store.events.latestForIssue(issue.id);
  } else if (input.eventId === 'oldest') {
    const page = await ctx.store.events.search({
      orgId: project.orgId,
      projectIds: [project.id],
      issueId: issue.id,
      filters: [],
      order: 'oldest',
      limit: 1,
    });
    event = page.events[0] ?? null;
  } else {
    // Sentry's 32-hex or dashed UUID spelling; anything else names no event (404, as a missing one).
    const id = normalizeEventId(input.eventId);
    event = id ? await ctx.store.events.get(project.id, id) : null;
  }
  if (!event || event.issueId !== issue.id) throw notFound('event');
  return { ...found, event };
}

/** `GET /projects/{org}/{project}/events/{event_id}/`. */
export async function getProjectEvent(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; eventId: string },
): Promise<FoundEvent> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  const id = normalizeEventId(input.eventId);
  const event = id ? await ctx.store.events.get(project.id, id) : null;
  const issue = event ? await ctx.store.issues.getById(event.issueId) : null;
  if (!event || !issue) throw notFound('event');
  return { org, project, issue, event };
}

/** `GET /organizations/{org}/events/{project_slug}:{event_id}/` (Sentry's Discover event link). */
export async function getOrgEvent(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; projectEvent: string },
): Promise<FoundEvent> {
  const split = input.projectEvent.indexOf(':');
  if (split <= 0) throw notFound('event');
  return getProjectEvent(ctx, principal, {
    org: input.org,
    project: input.projectEvent.slice(0, split),
    eventId: input.projectEvent.slice(split + 1),
  });
}
