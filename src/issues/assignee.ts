import { invalid } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { IssueActivity, Org } from '../store/types.ts';
import type { Assignee } from '../store/types-issues.ts';
import { clip } from '../validation.ts';
import type { AssignedTo } from './issue-views.ts';

export interface AssigneeChange {
  assignee: Assignee;
  activity: Pick<IssueActivity, 'type' | 'data'>;
  /** Sentry's `assignedTo` for the answer. */
  display: AssignedTo | null;
}

/**
 * Sentry's `assignedTo`: `user:ID`, `team:ID` (or `team:slug`, as the MCP server sends), an
 * email (or a bare user id), and null or '' to unassign. Users must be members of the
 * organisation, teams must belong to it.
 */
export async function resolveAssignedTo(
  ctx: AppContext,
  org: Org,
  assignedTo: string | null,
): Promise<AssigneeChange> {
  if (assignedTo === null || assignedTo === '') {
    return {
      assignee: { userId: null, teamId: null },
      activity: { type: 'unassigned', data: {} },
      display: null,
    };
  }
  const [kind, ref] = assignedTo.includes(':') ? assignedTo.split(/:(.*)/s) : ['', assignedTo];
  if (kind === 'team') {
    const team = /^\d{1,15}$/.test(ref)
      ? await ctx.store.teams.getById(Number(ref))
      : await ctx.store.teams.getBySlug(org.id, ref);
    if (!team || team.orgId !== org.id)
      throw invalid(`invalid assignedTo "${clip(assignedTo)}": no such team`);
    return {
      assignee: { userId: null, teamId: team.id },
      activity: { type: 'assigned', data: { assignee: String(team.id), assigneeType: 'team' } },
      display: { type: 'team', id: String(team.id), name: team.slug },
    };
  }
  if (kind !== '' && kind !== 'user') throw invalid(`invalid assignedTo "${clip(assignedTo)}"`);
  const user = /^\d{1,15}$/.test(ref)
    ? await ctx.store.users.getById(Number(ref))
    : await ctx.store.users.getByEmail(ref);
  const member = user ? await ctx.store.members.get(org.id, user.id) : null;
  if (!user || !member)
    throw invalid(`invalid assignedTo "${clip(assignedTo)}": not a member of this organization`);
  return {
    assignee: { userId: user.id, teamId: null },
    activity: {
      type: 'assigned',
      data: { assignee: String(user.id), assigneeType: 'user', assigneeEmail: user.email },
    },
    display: { type: 'user', id: String(user.id), name: user.name || user.email, email: user.email },
  };
}
