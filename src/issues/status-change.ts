import { invalid } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import type { Issue, IssueActivity, IssueStatus, IssueSubstatus } from '../store/types.ts';
import type { IgnoreDetails, LatestRelease, StatusDetails } from '../store/types-issues.ts';
import { clip } from '../validation.ts';
import { latestReleases } from './latest-release.ts';
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
      substatus: IssueSubstatus;
      options: Omit<IgnoreDetails, 'kind' | 'timesSeen' | 'userCount' | 'ignoredAt' | 'ignoreUntil'> & {
        ignoreDuration?: number;
      };
    };

export interface StatusTarget {
  status: IssueStatus;
  substatus: IssueSubstatus;
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
  const substatus: IssueSubstatus = options.ignoreUntilEscalating
    ? 'archived_until_escalating'
    : conditional
      ? 'archived_until_condition_met'
      : 'archived_forever';
  return { kind: 'ignored', substatus, options };
}

/**
 * The status each issue moves to, with its details and activity. What the targets read (the
 * latest release of each project, a named release, the escalation baselines) is read once for
 * all the issues, not per issue.
 */
export async function planStatusTargets(
  ctx: AppContext,
  intent: StatusIntent,
  issues: Issue[],
  orgId: number,
  now: number,
): Promise<Map<number, StatusTarget>> {
  const targets = new Map<number, StatusTarget>();
  if (intent.kind === 'inNextRelease' || (intent.kind === 'inRelease' && intent.version === 'latest')) {
    const latest = await latestReleases(
      ctx,
      orgId,
      issues.map((i) => i.projectId),
    );
    for (const issue of issues) {
      const release = latest.get(issue.projectId);
      targets.set(
        issue.id,
        intent.kind === 'inRelease' ? inRelease(intent, release, now) : inNextRelease(release, now),
      );
    }
  } else if (intent.kind === 'inRelease') {
    const release = (await ctx.store.releases.get(orgId, intent.version)) ?? undefined;
    for (const issue of issues) targets.set(issue.id, inRelease(intent, release, now));
  } else if (intent.kind === 'ignored') {
    const thresholds = intent.options.ignoreUntilEscalating
      ? await escalationThresholds(ctx, issues, now)
      : new Map<number, number>();
    for (const issue of issues) targets.set(issue.id, ignored(intent, issue, thresholds.get(issue.id), now));
  } else {
    const status =
      intent.kind === 'unresolved'
        ? target('unresolved', 'ongoing', null, null, 'set_unresolved', {})
        : target('resolved', null, now, null, 'set_resolved', {});
    for (const issue of issues) targets.set(issue.id, status);
  }
  return targets;
}

function inNextRelease(current: LatestRelease | undefined, now: number): StatusTarget {
  if (!current) throw invalid('no release data present in the system to form a basis for "next release"');
  const details: StatusDetails = {
    kind: 'resolved',
    inNextRelease: true,
    release: current.version,
    releaseDate: current.dateCreated,
  };
  return target('resolved', null, now, details, 'set_resolved_in_release', { version: '' });
}

/** Sentry's `inRelease: "latest"` is the project's latest release. */
function inRelease(
  intent: Extract<StatusIntent, { kind: 'inRelease' }>,
  release: LatestRelease | undefined,
  now: number,
): StatusTarget {
  if (!release) throw invalid(`invalid statusDetails.inRelease: release "${clip(intent.version)}" not found`);
  const details: StatusDetails = {
    kind: 'resolved',
    inRelease: release.version,
    release: release.version,
    releaseDate: release.dateCreated,
  };
  return target('resolved', null, now, details, 'set_resolved_in_release', { version: release.version });
}

function ignored(
  intent: Extract<StatusIntent, { kind: 'ignored' }>,
  issue: Issue,
  escalationThreshold: number | undefined,
  now: number,
): StatusTarget {
  const { ignoreDuration, ...rest } = intent.options;
  const details: IgnoreDetails = {
    kind: 'ignored',
    ...rest,
    ...(ignoreDuration ? { ignoreUntil: now + ignoreDuration * MINUTE } : {}),
    ...(escalationThreshold !== undefined ? { escalationThreshold } : {}),
    timesSeen: issue.timesSeen,
    userCount: issue.userCount,
    ignoredAt: now,
  };
  const data = Object.fromEntries(
    Object.entries({ ignoreDuration, ...rest }).filter(([, v]) => v !== undefined),
  );
  return target('ignored', intent.substatus, null, details, 'set_ignored', data);
}

function target(
  status: IssueStatus,
  substatus: IssueSubstatus,
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
async function escalationThresholds(
  ctx: AppContext,
  issues: Issue[],
  now: number,
): Promise<Map<number, number>> {
  const buckets = await ctx.store.issues.buckets(
    issues.map((i) => i.id),
    'hour',
    now - 7 * 24 * HOUR,
    now + HOUR,
  );
  return new Map(
    issues.map((issue) => {
      const busiest = Math.max(0, ...(buckets.get(issue.id) ?? []).map((b) => b.count));
      return [issue.id, Math.max(MIN_ESCALATION, 2 * busiest)];
    }),
  );
}
