import type { AppContext } from '../context.ts';
import type { Issue, Org, Project } from '../store/types.ts';
import type { AlertRule, CountRow, DetectorKind } from '../store/types-alerts.ts';
import { DAY, floorTo, HOUR, MINUTE, RECENT_MINUTES, SEASON_DAYS } from './baseline.ts';

/** The longest spike window a rule may have (schemas.ts), so one load serves every rule. */
const MAX_WINDOW_MINUTES = 60;

/** What a detector proposes; fire.ts claims it (once across nodes) and runs the rule's actions. */
export interface Candidate {
  rule: AlertRule;
  detector: DetectorKind;
  /** `issue:12`, `project:3`, `release:web@2@production`. */
  subject: string;
  /** The part of the firing key that tells one firing of the subject from the next. */
  window: string;
  issue: Issue | null;
  /** When the condition was met (the evaluation instant). */
  at: number;
  summary: string;
  data: Record<string, unknown>;
}

/**
 * One project's pass of one tick: the evaluation range [from, now] and cached reads that several
 * rules share (issues, per-issue minute and hour series).
 */
export interface ProjectScan {
  ctx: AppContext;
  org: Org;
  project: Project;
  from: number;
  now: number;
  issue(id: number): Promise<Issue | null>;
  /** Issue ids with at least `minCount` events between `start` and now. */
  busyIssues(start: number, minCount: number): Promise<number[]>;
  /** Minute and hour counts of these issues, covering every window and baseline of the pass. */
  series(
    issueIds: number[],
  ): Promise<Map<number, { minute: Map<number, number>; hour: Map<number, number> }>>;
  /** The project's total (all issues) minute and hour counts over the same range. */
  projectSeries(): Promise<{ minute: Map<number, number>; hour: Map<number, number> }>;
  /** The issues (of `issueIds`) that pass the rule's filters and are not ignored (muted). */
  filter(rule: AlertRule, issueIds: number[]): Promise<number[]>;
}

/**
 * Whether the pass reached a new minute. Detectors that read more than buckets (distinct users
 * over events, release totals) run once a minute rather than on every pass.
 */
export const crossesMinute = (scan: Pick<ProjectScan, 'from' | 'now'>) =>
  Math.floor(scan.from / MINUTE) !== Math.floor(scan.now / MINUTE);

/**
 * From when a rule judges what happens: since it was enabled again, or since its creation (less a
 * minute: default rules are made by the first pass that sees a project, just after its first
 * issues). What came before, or while it was off, is not news to it.
 */
export const activeSince = (rule: AlertRule) =>
  rule.enabledAt > rule.createdAt ? rule.enabledAt : rule.createdAt - MINUTE;

/** Minute boundaries after `from` up to `now`, then `now` itself: each is one evaluation instant. */
export function evaluationInstants(from: number, now: number): number[] {
  const instants: number[] = [];
  for (let t = floorTo(from, MINUTE) + MINUTE; t <= now; t += MINUTE) instants.push(t);
  if (instants.at(-1) !== now) instants.push(now);
  return instants;
}

const toMap = (rows: CountRow[]) => new Map(rows.map((row) => [row.start, row.count]));

export function createProjectScan(
  ctx: AppContext,
  org: Org,
  project: Project,
  from: number,
  now: number,
): ProjectScan {
  const issues = new Map<number, Promise<Issue | null>>();
  const minuteStart = floorTo(from, MINUTE) - (MAX_WINDOW_MINUTES + RECENT_MINUTES + 1) * MINUTE;
  const hourStart = floorTo(from, HOUR) - (SEASON_DAYS + 1) * DAY;
  const end = floorTo(now, MINUTE) + MINUTE;
  const hourEnd = floorTo(now, HOUR) + HOUR;
  const seriesCache = new Map<number, { minute: Map<number, number>; hour: Map<number, number> }>();
  let projectSeries: Promise<{ minute: Map<number, number>; hour: Map<number, number> }> | null = null;
  const signals = ctx.store.detectSignals;
  const scan: ProjectScan = {
    ctx,
    org,
    project,
    from,
    now,
    issue(id) {
      const found = issues.get(id) ?? ctx.store.issues.getById(id);
      issues.set(id, found);
      return found;
    },
    async busyIssues(start, minCount) {
      const rows = await signals.minuteCounts({ projectId: project.id, start, end, perIssue: true });
      const sums = new Map<number, number>();
      for (const row of rows) sums.set(row.issueId!, (sums.get(row.issueId!) ?? 0) + row.count);
      return [...sums].filter(([, sum]) => sum >= minCount).map(([id]) => id);
    },
    async series(issueIds) {
      const missing = issueIds.filter((id) => !seriesCache.has(id));
      if (missing.length > 0) {
        const query = { projectId: project.id, issueIds: missing, perIssue: true };
        const [minutes, hours] = await Promise.all([
          signals.minuteCounts({ ...query, start: minuteStart, end }),
          signals.hourCounts({ ...query, start: hourStart, end: hourEnd }),
        ]);
        for (const id of missing) seriesCache.set(id, { minute: new Map(), hour: new Map() });
        for (const row of minutes) seriesCache.get(row.issueId!)!.minute.set(row.start, row.count);
        for (const row of hours) seriesCache.get(row.issueId!)!.hour.set(row.start, row.count);
      }
      return new Map(issueIds.map((id) => [id, seriesCache.get(id)!]));
    },
    projectSeries() {
      projectSeries ??= (async () => {
        const query = { projectId: project.id, perIssue: false };
        const [minutes, hours] = await Promise.all([
          signals.minuteCounts({ ...query, start: minuteStart, end }),
          signals.hourCounts({ ...query, start: hourStart, end: hourEnd }),
        ]);
        return { minute: toMap(minutes), hour: toMap(hours) };
      })();
      return projectSeries;
    },
    async filter(rule, issueIds) {
      const { levels, environments, tags } = rule.filters;
      // An ignored (muted) issue alerts nobody, as in Sentry: "until escalating" speaks again
      // once the issue escalates and is unresolved.
      const found = await Promise.all(issueIds.map((id) => scan.issue(id)));
      let kept = issueIds.filter(
        (_, i) =>
          found[i] && found[i]!.status !== 'ignored' && (!levels?.length || levels.includes(found[i]!.level)),
      );
      if (environments?.length || (tags && Object.keys(tags).length > 0)) {
        const matching = await signals.matchingIssues(kept, { environments, tags });
        kept = kept.filter((id) => matching.has(id));
      }
      return kept;
    },
  };
  return scan;
}

export const hasFilters = (rule: AlertRule) =>
  Boolean(
    rule.filters.levels?.length ||
      rule.filters.environments?.length ||
      Object.keys(rule.filters.tags ?? {}).length,
  );
