import type { BucketCount, IngestIssue, Store } from '../store/types.ts';
import type { IgnoreDetails, ResolveDetails } from '../store/types-issues.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Why an ignored issue comes back (Sentry's `expired_snooze` in the set_escalating activity). */
export type EscalationReason = Record<string, number | boolean | null>;

/**
 * What ingest needs to know about the batch's resolved and ignored issues: whether an event's
 * release keeps a release resolution, and the counts an ignore condition compares against. Loaded
 * once per batch, and only for issues in those states, so unresolved issues cost nothing.
 */
export class StatusRules {
  readonly #resolutions = new Map<number, ResolveDetails>();
  readonly #ignores = new Map<
    number,
    { details: IgnoreDetails; recentEvents: number; recentUsers: number }
  >();
  readonly #releaseDates = new Map<string, number | null>();

  static async load(
    store: Store,
    orgIdOf: (issue: IngestIssue) => number,
    issues: IngestIssue[],
    releases: string[],
    now: number,
  ) {
    const rules = new StatusRules();
    const watched = issues.filter((i) => i.status === 'resolved' || i.status === 'ignored');
    if (watched.length === 0) return rules;
    const workflows = await store.issues.workflow(watched.map((i) => i.id));
    for (const issue of watched) {
      const details = workflows.get(issue.id)?.statusDetails;
      if (details?.kind === 'resolved' && details.release) {
        rules.#resolutions.set(issue.id, details);
        for (const version of releases) {
          const key = `${orgIdOf(issue)}\0${version}`;
          if (!rules.#releaseDates.has(key))
            rules.#releaseDates.set(
              key,
              (await store.releases.get(orgIdOf(issue), version))?.dateCreated ?? null,
            );
        }
      } else if (details?.kind === 'ignored') {
        rules.#ignores.set(issue.id, await ignoreState(store, issue, details, now));
      }
    }
    return rules;
  }

  /**
   * A release resolution holds for events from releases created no later than the release current
   * at resolution (inNextRelease) or before the named one (inRelease); anything else, an event
   * without a release included, regresses the issue (Sentry's GroupResolution.has_resolution).
   */
  keepsResolved(issue: IngestIssue, orgId: number, release: string | null): boolean {
    const details = this.#resolutions.get(issue.id);
    if (!details?.release || details.releaseDate === undefined || release === null) return false;
    if (!details.inRelease && release === details.release) return true;
    const created = this.#releaseDates.get(`${orgId}\0${release}`);
    if (created == null) return false;
    if (details.inRelease) return release !== details.inRelease && created < details.releaseDate;
    return created <= details.releaseDate;
  }

  /** After `batchEvents` events of this batch (and `batchUsers` new users), is the ignore over? */
  escalation(
    issue: IngestIssue,
    at: { receivedAt: number; batchEvents: number; batchUsers: number },
  ): EscalationReason | null {
    const state = this.#ignores.get(issue.id);
    if (!state) return null;
    const { details, recentEvents, recentUsers } = state;
    if (details.ignoreUntil !== undefined && at.receivedAt >= details.ignoreUntil)
      return { until: details.ignoreUntil };
    if (details.ignoreCount !== undefined) {
      const seen = details.ignoreWindow
        ? recentEvents + at.batchEvents
        : issue.timesSeen + at.batchEvents - details.timesSeen;
      if (seen >= details.ignoreCount)
        return { count: details.ignoreCount, window: details.ignoreWindow ?? null };
    }
    if (details.ignoreUserCount !== undefined) {
      const users = details.ignoreUserWindow
        ? recentUsers + at.batchUsers
        : issue.userCount + at.batchUsers - details.userCount;
      if (users >= details.ignoreUserCount)
        return { userCount: details.ignoreUserCount, userWindow: details.ignoreUserWindow ?? null };
    }
    if (
      details.escalationThreshold !== undefined &&
      recentEvents + at.batchEvents >= details.escalationThreshold
    )
      return { escalating: true };
    return null;
  }
}

/**
 * Events (and new users) already counted in the condition's window since the ignore began. Minute
 * buckets may hold events from just before the ignore, so the counts since it cap them.
 */
async function ignoreState(store: Store, issue: IngestIssue, details: IgnoreDetails, now: number) {
  const eventWindow = details.ignoreWindow
    ? details.ignoreWindow * MINUTE
    : details.escalationThreshold
      ? HOUR
      : 0;
  let recentEvents = 0;
  const sinceIgnored = issue.timesSeen - details.timesSeen;
  // A window that reaches back past the ignore holds every event since: counted exactly, with
  // the last second's events too (buckets are written a second late: decision 0009).
  if (eventWindow > 0 && now - eventWindow <= details.ignoredAt) recentEvents = sinceIgnored;
  else if (eventWindow > 0) {
    const since = now - eventWindow;
    recentEvents = Math.min(await eventsInWindow(store, issue.id, since, now), sinceIgnored);
  }
  let recentUsers = 0;
  if (details.ignoreUserWindow) {
    const since = Math.max(now - details.ignoreUserWindow * MINUTE, details.ignoredAt);
    recentUsers = Math.min(
      await store.issues.usersSince(issue.id, since),
      issue.userCount - details.userCount,
    );
  }
  return { details, recentEvents, recentUsers };
}

/**
 * Events of the issue from `since` to now. Retention keeps minute buckets for a limited time (48 h
 * by default) and hour buckets for good, so a window reaching further back (a week, say) reads its
 * whole hours from hour buckets and its first and current hours from minute buckets. When the first
 * hour's minute buckets no longer add up to its hour bucket, retention pruned them: the whole hour
 * counts, so the count errs high by at most the events of that hour before `since` (capped by the
 * events since the ignore began), never low; a window within the retained minutes is exact.
 */
async function eventsInWindow(store: Store, issueId: number, since: number, now: number): Promise<number> {
  const start = since - (since % MINUTE);
  const firstHour = start - (start % HOUR);
  const currentHour = now - (now % HOUR);
  const read = async (resolution: 'minute' | 'hour', from: number, to: number) =>
    (await store.issues.buckets([issueId], resolution, from, to)).get(issueId) ?? [];
  const total = (buckets: BucketCount[], keep: (b: BucketCount) => boolean = () => true) =>
    buckets.reduce((n, b) => (keep(b) ? n + b.count : n), 0);
  if (firstHour === currentHour) return total(await read('minute', start, now + MINUTE));
  const [firstMinutes, hours, currentMinutes] = await Promise.all([
    read('minute', firstHour, firstHour + HOUR),
    read('hour', firstHour, currentHour),
    read('minute', currentHour, now + MINUTE),
  ]);
  const firstHourCount = total(hours, (b) => b.start === firstHour);
  const head =
    total(firstMinutes) === firstHourCount ? total(firstMinutes, (b) => b.start >= start) : firstHourCount;
  return head + total(hours, (b) => b.start > firstHour) + total(currentMinutes);
}
