import type { AuditEntry } from './types-audit.ts';
import type { Incident } from './types-incidents.ts';

/**
 * Runbooks, and incident memory: links between incidents (a recurrence of an earlier one), each
 * incident's memory signature, and the reads over incidents that similarity and metrics need.
 */

/** A tag value a runbook is attached to: `service:api` is `{ key: 'service', value: 'api' }`. */
export interface RunbookTag {
  key: string;
  value: string;
}

export interface Runbook {
  id: number;
  orgId: number;
  title: string;
  /** Markdown, stored and returned exactly as given; never rendered here. */
  body: string;
  /** In id order. */
  projectIds: number[];
  /** In key, value order. */
  tags: RunbookTag[];
  createdBy: string;
  updatedBy: string;
  createdAt: number;
  updatedAt: number;
}

/** The whole content of a runbook (create, and update as a replacement). */
export interface RunbookContent {
  title: string;
  body: string;
  projectIds: number[];
  tags: RunbookTag[];
}

export interface RunbookListQuery {
  orgId: number;
  projectId?: number;
  tag?: RunbookTag;
  limit: number;
  offset: number;
}

/** A link from an incident to an earlier one, written when the later one is declared. */
export interface IncidentLink {
  incidentId: number;
  relatedId: number;
  /** `recurrence` (the earlier one was resolved) or `related` (it is still open). */
  relation: string;
  data: Record<string, unknown>;
  createdAt: number;
}

/** A past incident that had one of the given issues, or an issue sharing a grouping hash with one. */
export interface SharedIssueMatch {
  incidentId: number;
  /** The past incident's linked issue. */
  pastIssueId: number;
  /** The given issue it matches. */
  issueId: number;
  via: 'issue' | 'hash';
}

export interface StoredSignature {
  signature: Record<string, unknown>;
  computedAt: number;
}

export interface RunbooksStore {
  runbooks: {
    create(
      input: RunbookContent & { orgId: number; actor: string; now: number },
      audit?: AuditEntry,
    ): Promise<Runbook>;
    get(orgId: number, id: number): Promise<Runbook | null>;
    /** By title (then id); filtered to one project or one tag value when given. */
    list(query: RunbookListQuery): Promise<Runbook[]>;
    /** Runbooks attached to any of the projects or to any of the tag values (exact key and value). */
    matching(input: { orgId: number; projectIds: number[]; tags: RunbookTag[] }): Promise<Runbook[]>;
    /** Tag keys the organisation's runbooks are attached to. */
    tagKeys(orgId: number): Promise<string[]>;
    /** Replaces the content; null when there is no such runbook. */
    update(
      orgId: number,
      id: number,
      content: RunbookContent & { actor: string; now: number },
      audit?: AuditEntry,
    ): Promise<Runbook | null>;
    delete(orgId: number, id: number, audit?: AuditEntry): Promise<boolean>;
  };
  incidentMemory: {
    /** The organisation's incidents declared in [start, end), newest first, at most `limit`. */
    listDeclared(query: { orgId: number; start: number; end: number; limit: number }): Promise<Incident[]>;
    /**
     * Incidents of the organisation other than `excludeIncidentId` linked to one of the issues, or
     * to an issue sharing a grouping hash with one of them (the same crash in another project, or
     * an issue deleted and grouped anew).
     */
    sharingIssues(input: {
      orgId: number;
      issueIds: number[];
      excludeIncidentId: number;
    }): Promise<SharedIssueMatch[]>;
    signatures(incidentIds: number[]): Promise<Map<number, StoredSignature>>;
    putSignature(incidentId: number, signature: Record<string, unknown>, now: number): Promise<void>;
    /** Records the link once; false when it was already there. */
    link(link: IncidentLink): Promise<boolean>;
    /** Links from or to the incident, oldest first. */
    links(incidentId: number): Promise<IncidentLink[]>;
  };
}
