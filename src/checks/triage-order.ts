import type { IssueRow } from './issue-list.ts';
import type { TriageItem } from './schemas.ts';

/**
 * The triage priority, in order (docs/checks.md):
 *  1. what changed state: regressed or escalating first, then new, then ongoing;
 *  2. level: fatal, error, warning, info, debug;
 *  3. more users, then more events, then seen more recently;
 *  4. short id, then id: a total order, so the same issues always give the same checklist.
 * Only the issues' own fields decide; the time of the run does not.
 */
export const TRIAGE_PRIORITY =
  'regressed/escalating > new > ongoing, then level (fatal > error > warning > info > debug), then users, events, last seen, short id';

const STATE_RANK: Record<string, number> = { regressed: 0, escalating: 0, new: 1, ongoing: 2 };
const LEVEL_RANK: Record<string, number> = { fatal: 0, error: 1, warning: 2, info: 3, debug: 4 };

const stateOf = (issue: IssueRow) => issue.substatus ?? 'ongoing';
const rankOf = (table: Record<string, number>, key: string) => table[key] ?? Object.keys(table).length;

export function compareForTriage(a: IssueRow, b: IssueRow): number {
  return (
    rankOf(STATE_RANK, stateOf(a)) - rankOf(STATE_RANK, stateOf(b)) ||
    rankOf(LEVEL_RANK, a.level) - rankOf(LEVEL_RANK, b.level) ||
    b.users - a.users ||
    b.events - a.events ||
    compareText(b.lastSeen ?? '', a.lastSeen ?? '') ||
    compareText(a.shortId, b.shortId) ||
    compareText(a.id, b.id)
  );
}

/** Code-unit order, not the locale's: the checklist must not depend on where it runs. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ACTIONS: Record<string, string> = {
  regressed: 'came back after being resolved: compare its latest event with the release that fixed it',
  escalating: 'ignored, but growing: decide again whether it can wait',
  new: 'new: find the deploy that introduced it and an owner',
  ongoing: 'ongoing: fix it, assign it, or ignore it deliberately',
};

export function triageChecklist(
  issues: IssueRow[],
  opts: { max: number; latestEventCommand: (issue: IssueRow) => string },
): { items: TriageItem[]; omitted: number } {
  const ordered = [...issues].sort(compareForTriage);
  const items = ordered.slice(0, opts.max).map((issue, index) => {
    const state = stateOf(issue);
    const action = ACTIONS[state] ?? `${state}: review it`;
    return {
      rank: index + 1,
      shortId: issue.shortId,
      id: issue.id,
      title: issue.title,
      level: issue.level,
      reason: state,
      events: issue.events,
      users: issue.users,
      lastSeen: issue.lastSeen,
      assigned: issue.assignedTo,
      action: issue.assignedTo ? action : `${action}; unassigned: give it an owner`,
      command: opts.latestEventCommand(issue),
    };
  });
  return { items, omitted: ordered.length - items.length };
}
