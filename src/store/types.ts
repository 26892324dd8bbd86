import type { AccountsStore } from './types-accounts.ts';
import type { AlertsStore } from './types-alerts.ts';
import type { AuditStore } from './types-audit.ts';
import type { EventQueryStore } from './types-events.ts';
import type { IncidentsStore, SignalsStore } from './types-incidents.ts';
import type { IssueFilter, IssueWorkflowStore } from './types-issues.ts';
import type { NotificationsStore } from './types-notifications.ts';
import type { PostmortemsStore } from './types-postmortems.ts';
import type { ReleasesStore } from './types-releases.ts';
import type { RunbooksStore } from './types-runbooks.ts';

/**
 * The backend-neutral Store. Implemented on node:sqlite (store/sqlite) and PostgreSQL
 * (store/postgres); both pass store/contract.test.ts. No driver type crosses this file.
 *
 * Conventions: ids of organisations, projects, issues, keys and tokens are numbers (bigint
 * identity columns; safe as JS numbers); times are epoch milliseconds (numbers) in and out.
 */

export interface Org {
  id: number;
  slug: string;
  name: string;
  createdAt: number;
}

export interface Project {
  id: number;
  orgId: number;
  slug: string;
  name: string;
  platform: string | null;
  createdAt: number;
  /** Events older than this are pruned by retention (counts survive). */
  eventMaxAgeDays: number;
  /** At most this many events are kept per issue (newest kept). */
  eventsPerIssue: number;
}

export interface ProjectKey {
  id: number;
  projectId: number;
  label: string;
  /** 32 lowercase hex characters; the DSN's user part. */
  publicKey: string;
  secretKey: string;
  isActive: boolean;
  /** Per-key rate limit: at most `rateLimitCount` events per `rateLimitWindowSeconds`; null = none. */
  rateLimitCount: number | null;
  rateLimitWindowSeconds: number | null;
  createdAt: number;
}

export interface User {
  id: number;
  email: string;
  name: string;
  /** scrypt hash string; never returned by the API. */
  passwordHash: string | null;
  createdAt: number;
}

export interface ApiToken {
  id: number;
  /** Token kind: user token (`sntryu_…`) or organisation token (`sntrys_…`). */
  kind: 'user' | 'org';
  orgId: number | null;
  userId: number | null;
  name: string;
  scopes: string[];
  /** sha256 hex of the whole token; the token itself is never stored. */
  tokenHash: string;
  /** First characters of the token, for display ("sntryu_ab12…"). */
  tokenPrefix: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export type IssueStatus = 'unresolved' | 'resolved' | 'ignored';
export type IssueSubstatus =
  | 'new'
  | 'ongoing'
  | 'regressed'
  | 'escalating'
  | 'archived_forever'
  | 'archived_until_escalating'
  | 'archived_until_condition_met'
  | null;

export interface Issue {
  id: number;
  projectId: number;
  /** Per-project counter behind the short id (`WEB-12` is shortIdNumber 12 of project `web`). */
  shortIdNumber: number;
  title: string;
  culprit: string;
  /** 'error' (has an exception) or 'default' (message event). */
  type: string;
  /** Main exception type / message summary, for display. */
  metadata: IssueMetadata;
  level: string;
  status: IssueStatus;
  substatus: IssueSubstatus;
  firstSeen: number;
  lastSeen: number;
  timesSeen: number;
  userCount: number;
  firstRelease: string | null;
  lastRelease: string | null;
  /** Grouping config that created the issue, e.g. 'v1'. */
  groupingVersion: string;
  /** Its first event's platform; null for issues created before it was recorded. */
  platform: string | null;
  resolvedAt: number | null;
}

export interface IssueMetadata {
  type?: string;
  value?: string;
  filename?: string;
  function?: string;
  title?: string;
}

/** An event as stored: indexed columns plus the compressed normalised payload. */
export interface StoredEvent {
  eventId: string;
  projectId: number;
  issueId: number;
  /** When the event happened (client timestamp, normalised). */
  timestamp: number;
  receivedAt: number;
  level: string;
  release: string | null;
  environment: string;
  /** Stable user identity (id:…, email:…, username:…, ip:…) or null. */
  userKey: string | null;
  /** Compressed JSON of the normalised, scrubbed event (codec chosen by the backend-neutral digest). */
  payload: Uint8Array;
  payloadCodec: string;
  /** Uncompressed payload size in bytes. */
  size: number;
  /** Indexed for event search; written at ingest (absent on reads through get/list*). */
  title?: string;
  culprit?: string;
  eventType?: string;
  errorType?: string | null;
  errorValue?: string | null;
  tags?: Record<string, string>;
  /** Every identity of a user with several (`{id, email}`), for `user.email:…` search. */
  userFields?: Record<string, string> | null;
}

export interface IssueActivity {
  id: number;
  issueId: number;
  type: string;
  data: Record<string, unknown>;
  /** 'system', 'user:12', 'token:3'. */
  actor: string;
  createdAt: number;
}

export interface TagValueCount {
  key: string;
  value: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface BucketCount {
  /** Bucket start, epoch ms (minute or hour aligned). */
  start: number;
  count: number;
}

/** What the digest hands the store for a new issue. */
export interface NewIssue {
  projectId: number;
  hashes: string[];
  title: string;
  culprit: string;
  type: string;
  metadata: IssueMetadata;
  level: string;
  firstSeen: number;
  firstRelease: string | null;
  groupingVersion: string;
  /** The platform of the event that created it (`node`, `python`…), as Sentry's issue has. */
  platform?: string;
  /** When the server received its first event; its first seen when not given. */
  createdAt?: number;
}

/** Applied once per issue per batch; counters are deltas. */
export interface IssueUpdate {
  issueId: number;
  addTimesSeen: number;
  addUserCount: number;
  firstSeen: number;
  lastSeen: number;
  /** Latest event's display fields (only applied when lastSeen advances the issue's). */
  title: string;
  culprit: string;
  metadata: IssueMetadata;
  level: string;
  lastRelease: string | null;
  /** When set, the issue becomes unresolved with this substatus (regression). */
  reopenAs: IssueSubstatus | undefined;
}

export interface IngestOutcome {
  projectId: number;
  /** Envelope item type ('event', 'session', 'transaction', …). */
  itemType: string;
  /** 'processed' (stored and grouped) | 'accepted' (taken, not processed) | 'rate_limited' | 'invalid'. */
  outcome: string;
  /** Day bucket start, epoch ms (UTC midnight). */
  day: number;
  count: number;
}

/** What ingest needs of an existing issue: its id and what decides regression and escalation. */
export type IngestIssue = Pick<Issue, 'id' | 'status' | 'lastRelease' | 'timesSeen' | 'userCount'>;

/**
 * The digest's set-oriented primitives inside one write transaction. All `add*` methods add
 * counts to existing rows (upsert). Callers aggregate per batch before calling.
 */
/** One identity (`field`: id, email, username or ip) of the user keyed `userKey` in a project. */
export interface UserIdentityRow {
  projectId: number;
  userKey: string;
  field: string;
  value: string;
}

export interface IngestTx {
  /**
   * For each hash that is known in the project, its issue (locked for update where the backend
   * can): only what ingest decides on, so a batch does not read every issue's title and metadata.
   */
  findIssuesByHashes(projectId: number, hashes: string[]): Promise<Map<string, IngestIssue>>;
  /** Creates the issue with the next short-id number of its project and links all its hashes. */
  createIssue(input: NewIssue): Promise<Issue>;
  /** Links extra hashes to an existing issue (ignoring ones already linked). */
  addIssueHashes(projectId: number, issueId: number, hashes: string[]): Promise<void>;
  /** Of these events, the ones already stored (a retransmission, or an id reused by the SDK). */
  storedEvents(refs: EventRef[]): Promise<EventRef[]>;
  /** Inserts events; returns the event ids actually inserted (a retransmitted event_id is skipped). */
  insertEvents(events: StoredEvent[]): Promise<Set<string>>;
  updateIssues(updates: IssueUpdate[]): Promise<void>;
  /** Adds to the minute bucket at `start` (minute-aligned) and to the hour bucket that contains it. */
  addIssueBuckets(
    rows: { issueId: number; projectId: number; start: number; count: number }[],
  ): Promise<void>;
  addTagValues(rows: ({ issueId: number } & TagValueCount)[]): Promise<void>;
  /** Records identities of users with several (issue search's user.email:…); known ones are skipped. */
  addUserIdentities(rows: UserIdentityRow[]): Promise<void>;
  /** Records users per issue; returns per issue how many of them were not seen before. */
  addIssueUsers(rows: { issueId: number; userKey: string; seenAt: number }[]): Promise<Map<number, number>>;
  /**
   * A release seen in events: created on first sight (`receivedAt`, the server's time, is its
   * creation date, as Sentry dates a release by when it was made, not by an event's own clock),
   * its first and last seen moved by `seenAt`.
   */
  ensureReleases(
    rows: { orgId: number; projectId: number; version: string; seenAt: number; receivedAt: number }[],
  ): Promise<void>;
  ensureEnvironments(
    rows: { orgId: number; projectId: number; name: string; seenAt: number }[],
  ): Promise<void>;
  addActivities(rows: Omit<IssueActivity, 'id'>[]): Promise<void>;
  addOutcomes(rows: IngestOutcome[]): Promise<void>;
  /**
   * Records that these committed events' tag-value and bucket counts are not written yet
   * (docs/decisions/0009-deferred-counters.md), one deferred batch per entry, in one statement
   * where the backend allows; returns the batches' ids in the order given.
   */
  deferCounters(batches: { events: EventRef[]; createdAt: number }[]): Promise<number[]>;
  /**
   * Deletes deferred batches, the given ones or every one created before a time, and returns
   * those it deleted: whoever deletes a batch in a committed transaction is the one who counts it.
   */
  takeDeferredCounters(
    which: { ids: number[] } | { createdBefore: number; limit: number },
  ): Promise<DeferredCounterBatch[]>;
  /** What counting needs of stored events (missing ones, e.g. pruned, are left out). */
  countableEvents(refs: EventRef[]): Promise<CountableEvent[]>;
}

export interface EventRef {
  projectId: number;
  eventId: string;
}

export interface DeferredCounterBatch {
  id: number;
  events: EventRef[];
  /** Its stored references could not be read (a damaged row): taken with nothing to count. */
  unreadable?: true;
}

export interface CountableEvent {
  issueId: number;
  projectId: number;
  timestamp: number;
  tags: Record<string, string>;
}

export type IssueSort = 'date' | 'new' | 'freq' | 'user';

export interface IssueListQuery {
  orgId: number;
  projectIds?: number[];
  statuses?: IssueStatus[];
  /** Search conditions (issue search syntax, mapped by src/issues/search.ts). */
  filter?: IssueFilter;
  sort: IssueSort;
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface IssuePage {
  issues: Issue[];
  nextCursor: string | null;
}

export interface RetentionResult {
  eventsDeleted: number;
  bucketsDeleted: number;
  /** Per-issue tag value rows last seen before their project's retention. */
  tagValuesDeleted: number;
}

/**
 * The Store is assembled from per-area parts, each in its own file: types-accounts.ts
 * (organisations, projects, keys, users, tokens, members, teams), types-releases.ts (releases,
 * environments, commits, deploys), types-issues.ts (issue workflow and search) and
 * types-events.ts (event queries), types-audit.ts (the organisation audit log),
 * types-incidents.ts (incidents, their timeline and settings; signals read across projects),
 * types-postmortems.ts (post-mortems, action items), types-runbooks.ts (runbooks, incident memory
 * and metrics), types-alerts.ts (detectors, alert rules, release health) and types-notifications.ts
 * (notification targets, deliveries, escalation).
 */
export interface Store
  extends AccountsStore,
    ReleasesStore,
    AuditStore,
    IncidentsStore,
    SignalsStore,
    PostmortemsStore,
    AlertsStore,
    RunbooksStore,
    NotificationsStore {
  readonly backend: 'sqlite' | 'postgres';
  /** Applies pending numbered migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /** Waits for in-flight work and releases the connection(s). */
  close(): Promise<void>;

  /**
   * Runs `fn` in one short write transaction, serialised with the other ingest writes. On
   * PostgreSQL a transaction the database aborts for a deadlock is re-run, so `fn` may run
   * more than once: it should act only through `tx`.
   */
  ingestWrite<T>(fn: (tx: IngestTx) => Promise<T>): Promise<T>;

  issues: IssueWorkflowStore & {
    getById(id: number): Promise<Issue | null>;
    getByShortId(projectId: number, shortIdNumber: number): Promise<Issue | null>;
    list(query: IssueListQuery): Promise<IssuePage>;
    hashes(issueId: number): Promise<string[]>;
    tagValues(issueId: number, key?: string): Promise<TagValueCount[]>;
    /** Minute buckets (resolution 'minute') or hour buckets, start inclusive, end exclusive. */
    buckets(
      issueIds: number[],
      resolution: 'minute' | 'hour',
      start: number,
      end: number,
    ): Promise<Map<number, BucketCount[]>>;
    activities(issueId: number): Promise<IssueActivity[]>;
  };
  events: EventQueryStore & {
    get(projectId: number, eventId: string): Promise<StoredEvent | null>;
    /** The issue's newest stored event, of `environment` when one is given. */
    latestForIssue(issueId: number, environment?: string | null): Promise<StoredEvent | null>;
    listForIssue(issueId: number, limit: number): Promise<StoredEvent[]>;
    countForProject(projectId: number): Promise<number>;
  };
  outcomes: {
    /** Totals per (itemType, outcome) for a project since `since`. */
    totals(projectId: number, since: number): Promise<{ itemType: string; outcome: string; count: number }[]>;
  };
  retention: {
    /**
     * Deletes events older than each project's eventMaxAgeDays and beyond its eventsPerIssue,
     * tag values and ingest outcomes not seen within eventMaxAgeDays, and minute buckets older
     * than `minuteBucketsBefore`. Issue counters are left untouched.
     */
    prune(input: { now: number; minuteBucketsBefore: number; batchSize: number }): Promise<RetentionResult>;
  };
}
