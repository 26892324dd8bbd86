import { type CheckContext, once } from './context.ts';
import { cleanText } from './mask.ts';
import type { IssueSummary } from './schemas.ts';
import { enc, type Target } from './slugs.ts';
import { SMOKE_TEST_TITLE } from './test-event.ts';

/** One issue as the checks use it, read from Sentry's group shape (strings cleaned, numbers parsed). */
export interface IssueRow {
  id: string;
  shortId: string;
  title: string;
  level: string;
  substatus: string | null;
  events: number;
  users: number;
  firstSeen: string | null;
  lastSeen: string | null;
  assignedTo: string | null;
  firstRelease: string | null;
  lastRelease: string | null;
  /** Events per hour over the last 24 hours, oldest first (empty when the server sent no stats). */
  hourly: number[];
}

export interface IssueListing {
  issues: IssueRow[];
  /** False when the page cap stopped the listing: counts are then lower bounds. */
  complete: boolean;
  /** Issues of `local-smoke --send-test-event`, left out of `issues`. */
  smokeTestIssues: number;
}

/** 5 pages of 100, most frequent first, so a capped listing still holds the issues that matter. */
const MAX_PAGES = 5;

/**
 * The project's issue list (`GET /api/0/projects/{org}/{project}/issues/`, what `sentry-cli issues
 * list` reads on Sentry and Firebreak alike); it lists every match whatever its age, where the
 * organisation list only reads a time window.
 */
export function listIssues(ctx: CheckContext, target: Target, query: string): Promise<IssueListing> {
  return once(ctx, `issues:${query}`, async () => {
    const { items, complete } = await ctx.api.getAll<Record<string, unknown>>(
      `/api/0/projects/${enc(target.org)}/${enc(target.project)}/issues/`,
      { query, statsPeriod: '24h', sort: 'freq', limit: 100 },
      MAX_PAGES,
    );
    const rows = items.map(toRow);
    const issues = rows.filter((row) => row.title !== SMOKE_TEST_TITLE);
    return { issues, complete, smokeTestIssues: rows.length - issues.length };
  });
}

export const listUnresolved = (ctx: CheckContext, target: Target) => listIssues(ctx, target, 'is:unresolved');

function toRow(raw: Record<string, unknown>): IssueRow {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const version = (v: unknown) => str((v as { version?: unknown } | null)?.version);
  const assigned = raw.assignedTo as { name?: unknown; type?: unknown } | string | null | undefined;
  const stats = (raw.stats as { '24h'?: unknown } | undefined)?.['24h'];
  return {
    id: cleanText(raw.id, 40),
    shortId: cleanText(raw.shortId ?? raw.id, 40),
    title: cleanText(raw.title, 100),
    level: cleanText(raw.level ?? 'error', 20),
    substatus: str(raw.substatus),
    events: Number(raw.count ?? 0) || 0,
    users: Number(raw.userCount ?? 0) || 0,
    firstSeen: str(raw.firstSeen),
    lastSeen: str(raw.lastSeen),
    assignedTo: assigned
      ? cleanText(
          typeof assigned === 'string' ? assigned : `${assigned.type ?? ''}:${assigned.name ?? ''}`,
          60,
        )
      : null,
    firstRelease: version(raw.firstRelease),
    lastRelease: version(raw.lastRelease),
    hourly: Array.isArray(stats) ? stats.map((point) => Number((point as unknown[])?.[1]) || 0) : [],
  };
}

export function summarise(row: IssueRow): IssueSummary {
  return {
    id: row.id,
    shortId: row.shortId,
    title: row.title,
    level: row.level,
    events: row.events,
    users: row.users,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
  };
}

/** `WEB-3 "TypeError: boom" (error, 57 events, 3 users)`: one line of evidence. */
export function describeIssue(row: IssueRow | IssueSummary): string {
  return `${row.shortId} "${row.title}" (${row.level}, ${counted(row.events, 'event')}, ${counted(row.users, 'user')})`;
}

export function counted(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
