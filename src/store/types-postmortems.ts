import type { NewTimelineEntry } from './types-incidents.ts';

/**
 * Post-mortems and action items (issue 5). A post-mortem belongs to one incident and carries an
 * ADR number allocated per organisation on first generation; its `facts` are the data parts
 * (regenerated on request) and its `narrative` the fields people write (kept across
 * regenerations). Action items belong to an organisation, optionally to an incident and an issue;
 * every change to one is written with its incident's timeline entry in the same transaction.
 */

export const ACTION_ITEM_KINDS = ['test', 'monitor', 'gate', 'process', 'other'] as const;
export type ActionItemKind = (typeof ACTION_ITEM_KINDS)[number];

export const ACTION_ITEM_STATUSES = ['open', 'in_progress', 'done', 'wont_do'] as const;
export type ActionItemStatus = (typeof ACTION_ITEM_STATUSES)[number];

/** Statuses that still need work: only these can be overdue. */
export const ACTION_ITEM_PENDING: readonly ActionItemStatus[] = ['open', 'in_progress'];

export interface Postmortem {
  id: number;
  orgId: number;
  incidentId: number;
  /** Per-organisation ADR number: `ADR-0007` is number 7. */
  number: number;
  /** Bumped by every change; `expectedVersion` makes a narrative edit conditional on it. */
  version: number;
  /** The generated data parts, as src/postmortems shapes them (JSON). */
  facts: Record<string, unknown>;
  /** Narrative fields people wrote, by name; a missing field shows its default. */
  narrative: Record<string, string>;
  generatedAt: number;
  generatedBy: string;
  createdAt: number;
  updatedAt: number;
  updatedBy: string;
}

/** A timeline entry to write on an incident in the same transaction as the change. */
export interface IncidentEntry extends NewTimelineEntry {
  incidentId: number;
}

export interface GeneratePostmortem {
  orgId: number;
  incidentId: number;
  facts: Record<string, unknown>;
  actor: string;
  now: number;
  /** Entries written only when this call creates the post-mortem (its first generation). */
  entriesOnCreate(postmortem: Postmortem): NewTimelineEntry[];
}

export interface NarrativeChange {
  /** A string sets the field, null clears it back to its default. */
  fields: Record<string, string | null>;
  expectedVersion?: number;
  actor: string;
  now: number;
  entries: NewTimelineEntry[];
}

export interface ActionItemFields {
  incidentId: number | null;
  issueId: number | null;
  title: string;
  description: string | null;
  kind: ActionItemKind;
  status: ActionItemStatus;
  /** The owner when a member of the organisation… */
  ownerUserId: number | null;
  /** …else free text (a team, a person outside Firebreak). */
  ownerName: string | null;
  dueAt: number | null;
  /** When it moved to done or wont_do (null while pending). */
  completedAt: number | null;
}

export interface ActionItem extends ActionItemFields {
  id: number;
  orgId: number;
  version: number;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

export interface NewActionItem extends ActionItemFields {
  orgId: number;
  createdBy: string;
  now: number;
  /** The timeline entries to write with it, once its id is known. */
  entriesFor(item: ActionItem): IncidentEntry[];
}

export interface ActionItemChange {
  fields: Partial<ActionItemFields>;
  expectedVersion?: number;
  now: number;
  entries: IncidentEntry[];
}

export interface ActionItemQuery {
  orgId: number;
  statuses?: ActionItemStatus[];
  kinds?: ActionItemKind[];
  incidentId?: number;
  /** Owned by this member, or (ownerName) by this free-text owner, compared case-insensitively. */
  ownerUserId?: number;
  ownerName?: string;
  /** Only items still pending whose due date is before this moment. */
  overdueAt?: number;
  limit: number;
  offset: number;
}

export interface PostmortemsStore {
  postmortems: {
    /**
     * The first call for an incident allocates the organisation's next ADR number and writes
     * `entriesOnCreate`; later calls replace the facts only (the narrative is kept).
     */
    generate(input: GeneratePostmortem): Promise<{ postmortem: Postmortem; created: boolean }>;
    getByIncident(incidentId: number): Promise<Postmortem | null>;
    /** Null when `expectedVersion` no longer matches or the post-mortem is gone. */
    editNarrative(id: number, change: NarrativeChange): Promise<Postmortem | null>;
  };
  actionItems: {
    create(input: NewActionItem): Promise<ActionItem>;
    get(id: number): Promise<ActionItem | null>;
    /** By due date (none last), then id. */
    list(query: ActionItemQuery): Promise<ActionItem[]>;
    /** Null when `expectedVersion` no longer matches or the item is gone. */
    update(id: number, change: ActionItemChange): Promise<ActionItem | null>;
    delete(id: number, entries: IncidentEntry[], now: number): Promise<boolean>;
  };
}
