/**
 * Incidents: the incident row with its milestones, linked issues, role holders and the timeline.
 * Every change goes through `incidents.update`, a conditional write (`expectedVersion`) that
 * applies field, role and link changes and appends their timeline entries in one transaction.
 */

export const INCIDENT_STATUSES = [
  'triage',
  'investigating',
  'identified',
  'mitigating',
  'monitoring',
  'resolved',
  /** After resolved: the post-incident step, which needs the post-mortem (src/postmortems/close.ts). */
  'closed',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Resolved or closed: no more response (mitigations, escalation, reminders); a status change reopens it. */
export const hasEnded = (status: IncidentStatus): boolean => status === 'resolved' || status === 'closed';

/** The columns a change may set; milestones are epoch ms. */
export interface IncidentFields {
  title: string;
  severity: string;
  status: IncidentStatus;
  /** Affected services (free names, e.g. project slugs or `service:api` values). */
  services: string[];
  ticketUrl: string | null;
  channelUrl: string | null;
  rootCause: string | null;
  /** How it was detected: `manual`, `alert`, `webhook`, `customer report`, … */
  detectionSource: string | null;
  firstEventAt: number | null;
  detectedAt: number | null;
  acknowledgedAt: number | null;
  mitigatedAt: number | null;
  resolvedAt: number | null;
  /** Reason given when resolving without a root cause or a "resolved" verification. */
  resolutionOverride: string | null;
  lastUpdateAt: number | null;
  nextUpdateDueAt: number | null;
}

export interface IncidentRole {
  role: string;
  userId: number;
  assignedAt: number;
}

export interface Incident extends IncidentFields {
  id: number;
  orgId: number;
  /** Per-organisation number: `INC-7` is number 7. */
  number: number;
  /** Bumped by every update; `expectedVersion` makes an update conditional on it. */
  version: number;
  declaredAt: number;
  createdBy: string;
  updatedAt: number;
  issueIds: number[];
  roles: IncidentRole[];
}

export interface TimelineEntry {
  id: number;
  incidentId: number;
  /**
   * Automatic: declared, severity, status, role, issue_linked, issue_unlinked, deploy,
   * related_issue, mitigation, hook_result, verification, status_update, acknowledged, field,
   * resolved, reopened, closed, postmortem, action_item. Manual: note, hypothesis, decision, action.
   */
  kind: string;
  body: string;
  data: Record<string, unknown>;
  /** 'user:12', 'token:3', 'system'. */
  actor: string;
  /** When it happened (a deploy's finish time, say); entries are ordered by it. */
  occurredAt: number;
  createdAt: number;
  starred: boolean;
  editedAt: number | null;
}

export interface NewTimelineEntry {
  kind: string;
  body: string;
  data?: Record<string, unknown>;
  actor: string;
  occurredAt: number;
  /** Entries derived from data (a deploy, a related issue) carry one so a re-sync adds nothing twice. */
  dedupeKey?: string;
}

export interface TimelineEdit {
  entryId: number;
  previousBody: string;
  actor: string;
  editedAt: number;
}

export interface NewIncident extends Partial<IncidentFields> {
  orgId: number;
  title: string;
  severity: string;
  issueIds: number[];
  createdBy: string;
  now: number;
  /** Written in the creating transaction (the `declared` entry, links). */
  entries: NewTimelineEntry[];
}

export interface IncidentChange {
  /** When set, the update applies only if the incident is still at this version. */
  expectedVersion?: number;
  fields?: Partial<IncidentFields>;
  /** Sets (userId) or clears (null) a role's holder. */
  roles?: { role: string; userId: number | null }[];
  linkIssues?: number[];
  unlinkIssues?: number[];
  entries: NewTimelineEntry[];
  now: number;
}

/** A project's mitigation hook: a webhook, or a command template (argv, no shell). */
export interface MitigationHook {
  projectId: number;
  url: string | null;
  /** HMAC-SHA256 key for the `X-Firebreak-Signature` header of webhook calls. */
  secret: string | null;
  command: string[] | null;
  updatedAt: number;
}

export interface IncidentListQuery {
  orgId: number;
  statuses?: IncidentStatus[];
  limit: number;
  offset: number;
}

export interface IncidentsStore {
  incidents: {
    /** Allocates the organisation's next number; links, entries and the row commit together. */
    create(input: NewIncident): Promise<Incident>;
    get(orgId: number, number: number): Promise<Incident | null>;
    getById(id: number): Promise<Incident | null>;
    /** Newest first. */
    list(query: IncidentListQuery): Promise<Incident[]>;
    /** Incidents not yet resolved (nor closed), in every organisation (background checks). */
    listUnresolved(): Promise<Incident[]>;
    /** Incidents (any status) an issue is linked to, newest first. */
    listByIssue(issueId: number): Promise<Incident[]>;
    /**
     * Applies the change and appends its entries (`written`: the ones a dedupe key did not skip).
     * Null when `expectedVersion` no longer matches
     * (someone else changed the incident first).
     */
    update(id: number, change: IncidentChange): Promise<(Incident & { written: TimelineEntry[] }) | null>;
  };
  timeline: {
    /** In occurredAt order (ties by id). */
    list(incidentId: number): Promise<TimelineEntry[]>;
    get(entryId: number): Promise<TimelineEntry | null>;
    /** Appends entries; ones whose dedupeKey the incident already has are skipped. Returns the new ones. */
    add(incidentId: number, entries: NewTimelineEntry[], now: number): Promise<TimelineEntry[]>;
    /** Changes the body (keeping the previous one as an edit) and/or the star. */
    edit(
      entryId: number,
      change: { body?: string; starred?: boolean; actor: string; now: number },
    ): Promise<TimelineEntry | null>;
    edits(entryId: number): Promise<TimelineEdit[]>;
  };
  incidentSettings: {
    get(orgId: number): Promise<Record<string, unknown> | null>;
    put(orgId: number, settings: Record<string, unknown>, now: number): Promise<void>;
  };
  mitigationHooks: {
    get(projectId: number): Promise<MitigationHook | null>;
    put(hook: MitigationHook): Promise<void>;
    delete(projectId: number): Promise<boolean>;
  };
}

/** A deploy with its release version, as incident triage and the detectors read them. */
export interface DeploySignal {
  id: number;
  version: string;
  environment: string;
  dateFinished: number;
  projectIds: number[];
}

/** Reads over ingest data that incidents (and detectors) need across projects. */
export interface SignalsStore {
  signals: {
    /** Deploys touching any of the projects that finished in [start, end), newest first. */
    deploys(input: {
      projectIds: number[];
      start: number;
      end: number;
      limit: number;
    }): Promise<DeploySignal[]>;
    /** Events per issue from the minute buckets in [start, end), for the projects' issues. */
    issueCounts(input: { projectIds: number[]; start: number; end: number }): Promise<Map<number, number>>;
  };
}
