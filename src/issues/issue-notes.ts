import { notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../validation.ts';
import { getIssue, WRITE_SCOPES } from './get-issue.ts';
import { type ActivityView, withUsers } from './issue-activity.ts';
import { nextOffsetCursor, offsetPageOf } from './page.ts';
import { NoteInput } from './schemas.ts';

type IssueRef = { org: string; issueId: string };

/** `POST …/issues/{id}/comments/` (and `/notes/`): a note is a 'note' activity, as in Sentry. */
export async function addIssueNote(
  ctx: AppContext,
  principal: Principal,
  input: IssueRef & { body: unknown },
): Promise<ActivityView> {
  const { issue } = await getIssue(ctx, principal, input, WRITE_SCOPES);
  const { text } = parseInput(NoteInput, input.body);
  const note = await ctx.store.issues.addNote({
    issueId: issue.id,
    text,
    actor: principal.actor,
    now: ctx.clock.now(),
  });
  if (!note) throw notFound('issue');
  const [view] = await withUsers(ctx, [note]);
  return view;
}

/** `GET …/issues/{id}/comments/`: newest first, paginated. */
export async function listIssueNotes(
  ctx: AppContext,
  principal: Principal,
  input: IssueRef & { query: unknown },
): Promise<{ notes: ActivityView[]; nextCursor: string | null }> {
  const page = offsetPageOf(input.query);
  const { issue } = await getIssue(ctx, principal, input);
  const notes = await ctx.store.issues.notes(issue.id, { limit: page.limit + 1, offset: page.offset });
  return {
    notes: await withUsers(ctx, notes.slice(0, page.limit)),
    nextCursor: nextOffsetCursor(page, notes.length),
  };
}
