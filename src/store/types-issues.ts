import type { Issue, IssueActivity, IssueStatus, IssueSubstatus, TagValueCount } from './types.ts';
import type { AuditEntry } from './types-audit.ts';

/**
 * Issue workflow beyond ingest: search, status changes with their details, assignment, notes,
 * tags and deletion.
 */

export type CompareOp = '=' | '>' | '>=' | '<' | '<=';

/**
 * One search condition over issues. A search is their conjunction; `negate` wraps one in NOT
 * (and a negated condition is true where the positive one is false, never unknown).
 */
export type IssueCondition = { negate?: boolean } & (
  | { field: 'status'; values: IssueStatus[] }
  | { field: 'substatus'; values: string[] }
  | { field: 'level' | 'firstRelease'; values: string[] }
  | { field: 'firstSeen' | 'lastSeen' | 'timesSeen'; op: CompareOp; value: number }
  /** Issue has an event in [start, end): see seenBetweenSql (sql-text.ts). */
  | { field: 'seenBetween'; start: number; end: number }
  | { field: 'id'; values: number[] }
  /**
   * Issue has a tag `key` with one of the values; `*` in a value matches any run of characters,
   * unless `literal` (values as they are, such as user keys found by identity).
   */
  | { field: 'tag'; key: string; values: string[]; literal?: boolean }
  | { field: 'project'; values: number[] }
  | { field: 'hasTag'; key: string }
  /**
   * One of the issue's users has this identity (has:user.email): its `user` tag names it (the
   * user's first identity) or the user's other identities include it (user_identities).
   */
  | { field: 'hasUserField'; name: UserFieldName }
  /** Assigned to one of: a user, a team, anyone ('any') or no one ('none'). */
  | { field: 'assignee'; values: AssigneeMatch[] }
  /** Case-insensitive substring of the title or the culprit. */
  | { field: 'text'; value: string }
  /** Exception type / value in the metadata (error.type / error.value). */
  | { field: 'errorType' | 'errorValue'; values: string[] }
  | { field: 'constant'; value: boolean }
  | { field: 'all' | 'any'; conditions: IssueCondition[] }
);

export type UserFieldName = 'id' | 'email' | 'username' | 'ip';

export type AssigneeMatch = { userId: number } | { teamId: number } | 'any' | 'none';

export interface IssueFilter {
  conditions: IssueCondition[];
}

/** Ignore ("archive") conditions, Sentry's snooze; counts are relative to the snapshot taken then. */
export interface IgnoreDetails {
  kind: 'ignored';
  /** Epoch ms after which the next event brings the issue back. */
  ignoreUntil?: number;
  ignoreCount?: number;
  /** Minutes; with ignoreCount: that many events within this window. */
  ignoreWindow?: number;
  ignoreUserCount?: number;
  ignoreUserWindow?: number;
  ignoreUntilEscalating?: boolean;
  /** With ignoreUntilEscalating: events in one hour that mean the issue is escalating. */
  escalationThreshold?: number;
  /** Counters when the issue was ignored and when the ignore started. */
  timesSeen: number;
  userCount: number;
  ignoredAt: number;
}

/**
 * How a resolution treats later events: with a release, events from releases created no later
 * than it (inNextRelease) or before it (inRelease) leave the issue resolved; others regress it.
 */
export interface ResolveDetails {
  kind: 'resolved';
  inNextRelease?: boolean;
  inRelease?: string;
  /** The release current at resolution (inNextRelease) or named (inRelease), and its creation date. */
  release?: string;
  releaseDate?: number;
}

export type StatusDetails = IgnoreDetails | ResolveDetails;

export interface Assignee {
  userId: number | null;
  teamId: number | null;
}

/** Workflow state kept beside the issue row. `statusDetails` is null unless it matches `status`. */
export interface IssueWorkflow {
  issueId: number;
  statusDetails: StatusDetails | null;
  assignee: Assignee;
  numComments: number;
  /** An event of the issue had an exception with `mechanism.handled: false` (its `handled:no` tag). */
  unhandled: boolean;
}

/** One conditional change to one issue; applied only while its status is one of `from`. */
export interface IssueChange {
  issueId: number;
  from?: IssueStatus[];
  status?: {
    status: IssueStatus;
    substatus: IssueSubstatus;
    resolvedAt: number | null;
    details: StatusDetails | null;
  };
  assignee?: Assignee;
  activities: Omit<IssueActivity, 'id' | 'issueId'>[];
}

export interface TagKeySummary {
  key: string;
  /** Events carrying the tag (sum of the value counts). */
  totalValues: number;
  uniqueValues: number;
  topValues: TagValueCount[];
}

export type TagValueSort = 'count' | 'date' | 'age';

/** A project's latest release, the basis of `release:latest` and of resolving in the next release. */
export interface LatestRelease {
  version: string;
  /** Creation date, or for a release ingest created, its first event. */
  dateCreated: number;
}

export interface IssueWorkflowStore {
  /** Workflow state of each issue that exists. */
  workflow(issueIds: number[]): Promise<Map<number, IssueWorkflow>>;
  /**
   * Applies the changes in one transaction, each with its activity rows; returns the issues
   * changed. A change whose issue is missing or not in an expected status is skipped.
   */
  update(changes: IssueChange[]): Promise<Issue[]>;
  /**
   * Deletes the issues and everything of theirs (events, hashes, counters, tags, activity).
   * `audit` holds one entry per issue (targetId = issue id), written for the issues deleted.
   */
  delete(issueIds: number[], audit?: AuditEntry[]): Promise<number>;
  /** Adds a note (a 'note' activity); null when the issue does not exist. */
  addNote(input: {
    issueId: number;
    text: string;
    actor: string;
    now: number;
  }): Promise<IssueActivity | null>;
  /** Notes newest first. */
  notes(issueId: number, page: { limit: number; offset: number }): Promise<IssueActivity[]>;
  /** Per tag key (all, or the given ones) totals and the `top` most frequent values. */
  tagSummary(issueId: number, options: { keys?: string[]; top: number }): Promise<TagKeySummary[]>;
  tagValuePage(
    issueId: number,
    key: string,
    page: { sort: TagValueSort; limit: number; offset: number },
  ): Promise<TagValueCount[]>;
  /** Whether any issue of these projects carries the tag key (search refuses unknown keys). */
  tagKeyExists(projectIds: number[], key: string): Promise<boolean>;
  /**
   * The users of these projects (project and key) with an identity `field` matching one of
   * `values` (`*` a wildcard), at most `limit`: issue search then matches each key against the
   * `user` tag of its own project's issues.
   */
  userKeysWithIdentity(
    projectIds: number[],
    field: UserFieldName,
    values: string[],
    limit: number,
  ): Promise<{ projectId: number; userKey: string }[]>;
  /** Users first seen on the issue at or after `since`. */
  usersSince(issueId: number, since: number): Promise<number>;
  /**
   * Per project (of those that have one), its newest open release by creation date, then id:
   * Sentry's "latest release".
   */
  latestReleases(orgId: number, projectIds: number[]): Promise<Map<number, LatestRelease>>;
}
