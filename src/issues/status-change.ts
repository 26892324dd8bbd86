import { invalid } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { Issue, IssueActivity, IssueStatus } from '../store/types.ts';
import type { IgnoreDetails, StatusDetails, WorkflowSubstatus } from '../store/types-issues.ts';
import type { UpdateIssueInput } from './schemas.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** At least this many events in an hour before an issue ignored "until escalating" escalates. */
const MIN_ESCALATION = 10;

export type StatusIntent =
  | { kind: 'resolved' | 'unresolved' | 'inNextRelease' }
  | { kind: 'inRelease'; version: string }
  | {
      kind: 'ignored';
      substatus: WorkflowSubstatus;
      options: Omit<IgnoreDetails, 'kind' | 'timesSeen' | 'userCount' | 'ignoredAt' | 'ignoreUntil'> & {
        ignoreDuration?: number;
      };
    };

export interface StatusTarget {
  status: IssueStatus;
  substatus: WorkflowSubstatus;
  resolvedAt: number | null;
  details: StatusDetails | null;
  activity: Pick<IssueActivity, 'type' | 'data'>;
}

/** What the body asks for; options may sit at the top level or in statusDetails (Sentry takes both). */
export function statusIntentOf(body: UpdateIssueInput): StatusIntent | null {
  const details = { ...body.statusDetails };
  const option = <K extends keyof typeof details>(key: K) => details[key] ?? body[key] ?? undefined;
  if (body.status === 'resolvedInNextRelease' || (body.status === 'resolved' && option('inNextRelease')))
    return { kind: 'inNextRelease' };
  const inRelease = option('inRelease');
  if (body.status === 'resolved')
    return inRelease ? { kind: 'inRelease', version: inRelease } : { kind: 'resolved' };
  if (body.status === 'unresolved') return { kind: 'unresolved' };
  if (body.status !== 'ignored' && body.status !== 'muted') return null;
  const options = {
    ignoreDuration: option('ignoreDuration') ?? body.snoozeDuration ?? undefined,
    ignoreCount: option('ignoreCount') ?? undefined,
    ignoreWindow: option('ignoreWindow') ?? undefined,
    ignoreUserCount: option('ignoreUserCount') ?? undefined,
    ignoreUserWindow: option('ignoreUserWindow') ?? undefined,
    ignoreUntilEscalating:
      option('ignoreUntilEscalating') || body.substatus === 'archived_until_escalating' || undefined,
  };
  const conditional = options.ignoreDuration || options.ignoreCount || options.ignoreUserCount;
  const substatus: WorkflowSubstatus = options.ignoreUntilEscalating
    ? 'archived_until_escalating'
    : conditional
      ? 'archived_until_condition_met'
      : 'archived_forever';
  return { kind: 'ignored', substatus, options };
}

/** The status an issue moves to, with its details and activity; release lookups are per project. */
export async function statusTargetFor(
  ctx: AppContext,
  intent: StatusIntent,
  issue: Issue,
  orgId: number,
  now: number,
): Promise<StatusTarget> {
  switch (intent.kind) {
    case 'unresolved':
      return target('unresolved', 'ongoing', null, null, 'set_unresolved', {});
    case 'resolved':
      return { ...target('resolved', null, now, null, 'set_resolved', {}) };
    case 'inNextRelease': {
      const current = await newestRelease(ctx, orgId, issue.projectId);
      if (!current) throw invalid('no release data present in the system to form a basis for "next release"');
      const details: StatusDetails = {
        kind: 'resolved',
        inNextRelease: true,
        release: current.version,
        releaseDate: current.dateCreated,
      };
      return target('resolved', null, now, details, 'set_resolved_in_release', { version: '' });
    }
    case 'inRelease': {
      // Sentry's `inRelease: "latest"` is the project's newest release.
      const release =
        intent.version === 'latest'
          ? await newestRelease(ctx, orgId, issue.projectId)
          : await ctx.store.releases.get(orgId, intent.version);
      if (!release)
        throw invalid(`invalid statusDetails.inRelease: release "${intent.version.slice(0, 60)}" not found`);
      const details: StatusDetails = {
        kind: 'resolved',
        inRelease: release.version,
        release: release.version,
        releaseDate: release.dateCreated,
      };
      return target('resolved', null, now, details, 'set_resolved_in_release', { version: release.version });
    }
    case 'ignored': {
      const { ignoreDuration, ...rest } = intent.options;
      const details: IgnoreDetails = {
        kind: 'ignored',
        ...rest,
        ...(ignoreDuration ? { ignoreUntil: now + ignoreDuration * MINUTE } : {}),
        ...(rest.ignoreUntilEscalating
          ? { escalationThreshold: await escalationThreshold(ctx, issue, now) }
          : {}),
        timesSeen: issue.timesSeen,
        userCount: issue.userCount,
        ignoredAt: now,
      };
      const data = Object.fromEntries(
        Object.entries({ ignoreDuration, ...rest }).filter(([, v]) => v !== undefined),
      );
      return target('ignored', intent.substatus, null, details, 'set_ignored', data);
    }
  }
}

function target(
  status: IssueStatus,
  substatus: WorkflowSubstatus,
  resolvedAt: number | null,
  details: StatusDetails | null,
  type: string,
  data: Record<string, unknown>,
): StatusTarget {
  return { status, substatus, resolvedAt, details, activity: { type, data } };
}

/**
 * Sentry forecasts an escalation from the past week; here an issue escalates when an hour sees
 * twice its busiest hour of the week before it was ignored (and at least MIN_ESCALATION events).
 */
async function escalationThreshold(ctx: AppContext, issue: Issue, now: number): Promise<number> {
  const buckets = await ctx.store.issues.buckets([issue.id], 'hour', now - 7 * 24 * HOUR, now + HOUR);
  const busiest = Math.max(0, ...(buckets.get(issue.id) ?? []).map((b) => b.count));
  return Math.max(MIN_ESCALATION, 2 * busiest);
}

/** The project's newest release by creation, Sentry's "current" release. */
async function newestRelease(ctx: AppContext, orgId: number, projectId: number) {
  const [newest] = await ctx.store.releases.list({
    orgId,
    projectIds: [projectId],
    status: 'open',
    limit: 1,
    offset: 0,
  });
  return newest ?? null;
}
