import { AppError, notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { decodePayload } from '../digest/payload.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { CommitAuthor } from '../store/types-releases.ts';
import { inAppFramePaths, type SuspectCommit, suspectCommits } from './frame-paths.ts';

/** Commits of one release considered for suspects; a release rarely carries more. */
const MAX_RELEASE_COMMITS = 1000;

export interface Committer {
  author: CommitAuthor;
  commits: SuspectCommit[];
}

const noCommitters = () => new AppError('NOT_FOUND', 'No committers found');

/**
 * Suspect commits of an event (Sentry's `…/events/{event_id}/committers/`, release-based
 * strategy): commits of the event's release whose changed files appear in its in-app frames,
 * grouped by author, best match first. Nothing to suggest is a 404 "No committers found", as
 * Sentry answers (sentry `tests/sentry/api/endpoints/test_event_committers.py`).
 */
export async function getEventCommitters(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; eventId: string },
): Promise<Committer[]> {
  requireScope(
    principal,
    'event:read',
    'event:write',
    'event:admin',
    'project:read',
    'project:write',
    'project:admin',
  );
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  const eventId = input.eventId.replaceAll('-', '').toLowerCase();
  const event = /^[0-9a-f]{32}$/.test(eventId) ? await ctx.store.events.get(project.id, eventId) : null;
  if (!event) throw notFound('Event');
  const release = event.release ? await ctx.store.releases.get(org.id, event.release) : null;
  if (!release || release.commitCount === 0) throw noCommitters();
  const commits = await ctx.store.releases.commits(release.id, {
    limit: MAX_RELEASE_COMMITS,
    offset: 0,
    withFiles: true,
  });
  const suspects = suspectCommits(commits, inAppFramePaths(decodePayload(event)));
  if (suspects.length === 0) throw noCommitters();
  return groupByAuthor(suspects);
}

function groupByAuthor(suspects: SuspectCommit[]): Committer[] {
  const committers = new Map<string, Committer>();
  for (const suspect of suspects) {
    const { authorName: name, authorEmail: email } = suspect.commit;
    const key = email ? `e:${email.toLowerCase()}` : `n:${name ?? ''}`;
    const committer = committers.get(key) ?? { author: { name, email }, commits: [] };
    committer.commits.push(suspect);
    committers.set(key, committer);
  }
  return [...committers.values()];
}
