import type { AuditEntry } from './types-audit.ts';

/**
 * Alerting (issue 6): alert rules per project, their firings, the detectors' scan position and
 * the reads they need over ingest data, and release health (session aggregates per release and
 * environment). A firing is claimed through a unique key, so servers sharing one database act on
 * each firing once.
 */

export const DETECTORS = ['new_issue', 'regression', 'spike', 'deploy', 'users', 'release_health'] as const;
export type DetectorKind = (typeof DETECTORS)[number];

export interface AlertFilters {
  /** The issue's level is one of these (e.g. `error`, `fatal`). */
  levels?: string[];
  /** The issue has events in one of these environments. */
  environments?: string[];
  /** The issue has events carrying every one of these tag values. */
  tags?: Record<string, string>;
}

export type AlertAction =
  /** `all`: every enabled notification target of the organisation at the time of firing. */
  | { type: 'notify'; targetIds: number[] | 'all' }
  | { type: 'declare_incident'; severity?: string }
  | { type: 'attach_incident' };

export interface AlertRule {
  id: number;
  orgId: number;
  projectId: number;
  name: string;
  detector: DetectorKind;
  enabled: boolean;
  /** The detector's thresholds (detect/schemas.ts validates them per detector). */
  conditions: Record<string, unknown>;
  filters: AlertFilters;
  actions: AlertAction[];
  cooldownMinutes: number;
  /** Created by Firebreak as one of a new project's default rules. */
  isDefault: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  /** Since when it has been enabled (its creation, or when it was last enabled again). */
  enabledAt: number;
}

export type NewAlertRule = Omit<AlertRule, 'id' | 'updatedAt' | 'enabledAt'>;
export type AlertRulePatch = Partial<
  Pick<AlertRule, 'name' | 'enabled' | 'conditions' | 'filters' | 'actions' | 'cooldownMinutes'>
>;

export interface AlertFiring {
  id: number;
  ruleId: number;
  orgId: number;
  projectId: number;
  detector: DetectorKind;
  /** What fired: `issue:12`, `project:3`, `release:web@2.0.1@production`. */
  subject: string;
  /** rule id + detector + subject + window: unique, so a firing is claimed once across nodes. */
  key: string;
  issueId: number | null;
  firedAt: number;
  summary: string;
  /** The numbers that fired it (count, baseline, ratio, window, deploy, …). */
  data: Record<string, unknown>;
  /** `claimed` until the claiming node has run the actions, then `done` with their results. */
  status: 'claimed' | 'done';
  results: Record<string, unknown>[];
}

export type NewAlertFiring = Omit<AlertFiring, 'id' | 'status' | 'results'> & {
  /** No firing of the same rule and subject within this many ms before `firedAt`. */
  cooldownMs: number;
};

export interface FiringListQuery {
  orgId: number;
  projectId?: number;
  ruleId?: number;
  limit: number;
  offset: number;
}

/** Per-minute (or per-hour) event counts, per issue or summed over the issues asked for. */
export interface CountSeriesQuery {
  projectId: number;
  /** Only these issues; all of the project's when omitted. */
  issueIds?: number[];
  start: number;
  end: number;
}

export interface CountRow {
  /** null when summed over the project. */
  issueId: number | null;
  start: number;
  count: number;
}

export interface DetectedIssue {
  issueId: number;
  projectId: number;
  firstSeen: number;
  /** When the server created it (new-issue rules look for issues by this, not by first seen). */
  createdAt: number;
  level: string;
}

export interface RegressionActivity {
  activityId: number;
  issueId: number;
  createdAt: number;
  release: string | null;
}

/** One session's update (`session` item), reduced to what release health counts. */
export interface SessionUpdate {
  projectId: number;
  release: string;
  environment: string;
  /** Hour bucket of the session's start (epoch ms). */
  hour: number;
  sid: string;
  did: string | null;
  /** The first update of the session (`init: true`): counted as a started session. */
  init: boolean;
  /** Set when this update makes the session unhealthy; a worse outcome later replaces it. */
  outcome: SessionOutcome | null;
  seenAt: number;
}

/** Worst first: a session counts once, under the worst outcome any of its updates reported. */
export const SESSION_OUTCOMES = ['crashed', 'abnormal', 'unhandled', 'errored'] as const;
export type SessionOutcome = (typeof SESSION_OUTCOMES)[number];

/** One bucket of a `sessions` item (server-mode pre-aggregated counts). */
export interface SessionAggregate {
  projectId: number;
  release: string;
  environment: string;
  hour: number;
  did: string | null;
  /** Sessions ended without error (exited with no errors). */
  healthy: number;
  errored: number;
  abnormal: number;
  unhandled: number;
  crashed: number;
  seenAt: number;
}

export interface ReleaseHealthTotals {
  projectId: number;
  release: string;
  /** Null when summed over environments. */
  environment: string | null;
  sessions: number;
  crashed: number;
  abnormal: number;
  unhandled: number;
  errored: number;
  users: number;
  crashedUsers: number;
  /** Hour buckets of the first and last session seen. */
  firstSeen: number;
  lastSeen: number;
}

export interface ReleaseHealthQuery {
  projectIds: number[];
  releases?: string[];
  /** Only sessions started at or after this time. */
  since?: number;
  /** One row per environment rather than summed over them. */
  byEnvironment?: boolean;
}

export interface AlertsStore {
  alertRules: {
    /** `audit` is written in the same transaction (targetId: the new rule's id). */
    create(input: NewAlertRule, audit?: AuditEntry): Promise<AlertRule>;
    get(id: number): Promise<AlertRule | null>;
    /** Oldest first. */
    listByProject(projectId: number): Promise<AlertRule[]>;
    /** Every enabled rule, in every organisation (the detector ticker). */
    listEnabled(): Promise<AlertRule[]>;
    update(id: number, patch: AlertRulePatch, now: number, audit?: AuditEntry): Promise<AlertRule | null>;
    delete(id: number, audit?: AuditEntry): Promise<boolean>;
    /** Projects that never had their default rules created. */
    projectsWithoutDefaults(): Promise<number[]>;
    /**
     * Marks the project as having its defaults and creates `rules`, in one transaction; nothing
     * (an empty list) when another caller got there first.
     */
    createDefaults(projectId: number, rules: NewAlertRule[]): Promise<AlertRule[]>;
  };
  alertFirings: {
    /**
     * Inserts the firing unless its key exists or the rule fired for the subject within the
     * cooldown. Returns it only to the caller that inserted it: that caller runs the actions.
     */
    claim(input: NewAlertFiring): Promise<AlertFiring | null>;
    /**
     * Which of these firing keys were claimed already: a read, so a detector pass that sees the
     * same conditions again does not queue a write per condition to learn it.
     */
    claimedKeys(keys: string[]): Promise<Set<string>>;
    finish(id: number, results: Record<string, unknown>[]): Promise<AlertFiring | null>;
    get(id: number): Promise<AlertFiring | null>;
    /** Newest first. */
    list(query: FiringListQuery): Promise<AlertFiring[]>;
  };
  detectorPositions: {
    get(name: string): Promise<number | null>;
    /** Moves the position forward (never back). */
    advance(name: string, position: number): Promise<void>;
  };
  detectSignals: {
    /** Issues first seen (by their events' time) or, with `by: 'createdAt'`, created since `since`. */
    newIssues(input: {
      projectIds: number[];
      since: number;
      by?: 'firstSeen' | 'createdAt';
    }): Promise<DetectedIssue[]>;
    regressions(input: { projectIds: number[]; since: number }): Promise<RegressionActivity[]>;
    minuteCounts(query: CountSeriesQuery & { perIssue: boolean }): Promise<CountRow[]>;
    hourCounts(query: CountSeriesQuery & { perIssue: boolean }): Promise<CountRow[]>;
    /** Distinct users per issue among the project's events in [start, end). */
    windowUsers(input: { projectId: number; start: number; end: number }): Promise<Map<number, number>>;
    /** Of `issueIds`, those with events in one of `environments` and carrying every tag in `tags`. */
    matchingIssues(
      issueIds: number[],
      filter: { environments?: string[]; tags?: Record<string, string> },
    ): Promise<Set<number>>;
  };
  releaseHealth: {
    /** Adds session updates and aggregates in one transaction. */
    record(input: { updates: SessionUpdate[]; aggregates: SessionAggregate[] }): Promise<void>;
    totals(query: ReleaseHealthQuery): Promise<ReleaseHealthTotals[]>;
    /** Forgets which sessions were unhealthy for sessions last updated before `before`. */
    prune(before: number): Promise<number>;
  };
}
