import { shortIdOf } from '../issues/short-id.ts';
import type { AlertRule } from '../store/types-alerts.ts';
import { MINUTE } from './baseline.ts';
import { cooldownWindow } from './detect-spike.ts';
import { firingKeyOf } from './fire.ts';
import { activeSince, type Candidate, crossesMinute, type ProjectScan } from './scan.ts';
import { conditionsOf, type UsersConditions } from './schemas.ts';

/**
 * How far back new issues and regressions are looked for on every pass. Firing keys are unique,
 * so looking at the same issue twice fires once; the overlap catches an issue whose first event
 * was stamped (by its SDK) a while before it arrived, or committed late by another node.
 */
export const LOOKBACK_MS = 60 * MINUTE;

/**
 * `new_issue` rules: issues the server created since the pass's lookback (and not before the rule
 * was enabled: scan.ts activeSince). By creation, not first seen: an event an SDK cached offline arrives stamped hours ago,
 * and its issue is still new when it arrives (Sentry's "a new issue is created").
 */
export async function detectNewIssues(scan: ProjectScan, rules: AlertRule[]): Promise<Candidate[]> {
  if (rules.length === 0) return [];
  const since = Math.min(scan.from, scan.now) - LOOKBACK_MS;
  const found = await scan.ctx.store.detectSignals.newIssues({
    projectIds: [scan.project.id],
    since,
    by: 'createdAt',
  });
  const candidates: Candidate[] = [];
  for (const rule of rules) {
    const recent = found.filter((i) => i.createdAt >= activeSince(rule)).map((i) => i.issueId);
    // The lookback sees each new issue on every pass for an hour: those that fired already are
    // dropped by one read, before their filters and rows are looked at again.
    const keyOf = (issueId: number) => firingKeyOf(rule.id, 'new_issue', `issue:${issueId}`, 'first_seen');
    const fired = await scan.ctx.store.alertFirings.claimedKeys(recent.map(keyOf));
    const fresh = recent.filter((issueId) => !fired.has(keyOf(issueId)));
    for (const issueId of await scan.filter(rule, fresh)) {
      const issue = await scan.issue(issueId);
      if (!issue) continue;
      candidates.push({
        rule,
        detector: 'new_issue',
        subject: `issue:${issueId}`,
        window: 'first_seen',
        issue,
        at: scan.now,
        summary: `New issue ${shortIdOf(scan.project, issue)}: ${issue.title}`,
        data: {
          firstSeen: new Date(issue.firstSeen).toISOString(),
          level: issue.level,
          release: issue.firstRelease,
        },
      });
    }
  }
  return candidates;
}

/** `regression` rules: `set_regression` activities the digest wrote since the lookback. */
export async function detectRegressions(scan: ProjectScan, rules: AlertRule[]): Promise<Candidate[]> {
  if (rules.length === 0) return [];
  const since = Math.min(scan.from, scan.now) - LOOKBACK_MS;
  const found = await scan.ctx.store.detectSignals.regressions({ projectIds: [scan.project.id], since });
  const candidates: Candidate[] = [];
  for (const rule of rules) {
    const recent = found.filter((a) => a.createdAt >= activeSince(rule));
    const kept = new Set(await scan.filter(rule, [...new Set(recent.map((a) => a.issueId))]));
    for (const activity of recent.filter((a) => kept.has(a.issueId))) {
      const issue = await scan.issue(activity.issueId);
      if (!issue) continue;
      const where = activity.release ? ` in ${activity.release}` : '';
      candidates.push({
        rule,
        detector: 'regression',
        subject: `issue:${issue.id}`,
        window: `activity:${activity.activityId}`,
        issue,
        at: activity.createdAt,
        summary: `Regression of ${shortIdOf(scan.project, issue)}${where}: ${issue.title}`,
        data: { regressedAt: new Date(activity.createdAt).toISOString(), release: activity.release },
      });
    }
  }
  return candidates;
}

/** `users` rules: an issue's distinct users in the window reach the threshold (checked once a minute). */
export async function detectUsers(scan: ProjectScan, rules: AlertRule[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  if (!crossesMinute(scan)) return candidates;
  for (const rule of rules) {
    const spec = conditionsOf<UsersConditions>('users', rule.conditions);
    const counts = await scan.ctx.store.detectSignals.windowUsers({
      projectId: scan.project.id,
      start: Math.max(scan.now - spec.windowMinutes * MINUTE, activeSince(rule)),
      end: scan.now + 1,
    });
    const over = [...counts].filter(([, n]) => n >= spec.threshold).map(([id]) => id);
    for (const issueId of await scan.filter(rule, over)) {
      const issue = await scan.issue(issueId);
      if (!issue) continue;
      const users = counts.get(issueId)!;
      candidates.push({
        rule,
        detector: 'users',
        subject: `issue:${issueId}`,
        window: cooldownWindow(rule, scan.now),
        issue,
        at: scan.now,
        summary: `${shortIdOf(scan.project, issue)} affected ${users} users in ${spec.windowMinutes} min: ${issue.title}`,
        data: { users, threshold: spec.threshold, windowMinutes: spec.windowMinutes },
      });
    }
  }
  return candidates;
}
