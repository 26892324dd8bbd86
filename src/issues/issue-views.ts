import type { AppContext } from '../context.ts';
import type { Issue, Project } from '../store/types.ts';
import type { IssueWorkflow, StatusDetails } from '../store/types-issues.ts';
import { NEW_ISSUE_DAYS } from './search-states.ts';

const DAY = 86_400_000;

/** Sentry's assignee actor: a user (with email) or a team (named by its slug). */
export interface AssignedTo {
  type: 'user' | 'team';
  id: string;
  name: string;
  email?: string;
}

/** An issue with everything its Sentry representation needs besides the organisation. */
export interface IssueView {
  issue: Issue;
  project: Project;
  substatus: string | null;
  statusDetails: StatusDetails | null;
  assignedTo: AssignedTo | null;
  numComments: number;
  /** Sentry's isUnhandled: an event of the issue was not handled (mechanism.handled false). */
  isUnhandled: boolean;
  /** Named series, e.g. {"24h": [[unixSeconds, count], …]}. */
  stats: Record<string, [number, number][]>;
}

export async function loadIssueViews(
  ctx: AppContext,
  issues: Issue[],
  projectOf: (issue: Issue) => Project,
): Promise<IssueView[]> {
  const workflows = await ctx.store.issues.workflow(issues.map((issue) => issue.id));
  const assignees = await describeAssignees(ctx, [...workflows.values()]);
  const now = ctx.clock.now();
  return issues.map((issue) => {
    const workflow = workflows.get(issue.id);
    const { userId, teamId } = workflow?.assignee ?? { userId: null, teamId: null };
    return {
      issue,
      project: projectOf(issue),
      substatus: substatusOf(issue, now),
      statusDetails: workflow?.statusDetails ?? null,
      assignedTo:
        (userId !== null
          ? assignees.get(`user:${userId}`)
          : teamId !== null
            ? assignees.get(`team:${teamId}`)
            : null) ?? null,
      numComments: workflow?.numComments ?? 0,
      isUnhandled: workflow?.unhandled ?? false,
      stats: {},
    };
  });
}

/** Sentry moves new issues to "ongoing" after 7 days (a scheduled job there; read off first seen here). */
function substatusOf(issue: Issue, now: number): string | null {
  if (issue.substatus === 'new' && issue.firstSeen < now - NEW_ISSUE_DAYS * DAY) return 'ongoing';
  return issue.substatus;
}

async function describeAssignees(
  ctx: AppContext,
  workflows: IssueWorkflow[],
): Promise<Map<string, AssignedTo>> {
  const out = new Map<string, AssignedTo>();
  const userIds = new Set(workflows.flatMap((w) => (w.assignee.userId === null ? [] : [w.assignee.userId])));
  const teamIds = new Set(workflows.flatMap((w) => (w.assignee.teamId === null ? [] : [w.assignee.teamId])));
  for (const id of userIds) {
    const user = await ctx.store.users.getById(id);
    if (user)
      out.set(`user:${id}`, {
        type: 'user',
        id: String(id),
        name: user.name || user.email,
        email: user.email,
      });
  }
  for (const id of teamIds) {
    const team = await ctx.store.teams.getById(id);
    if (team) out.set(`team:${id}`, { type: 'team', id: String(id), name: team.slug });
  }
  return out;
}
