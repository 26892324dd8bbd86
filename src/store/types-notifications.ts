import type { NewTimelineEntry } from './types-incidents.ts';

/**
 * Notifications: per-organisation targets (webhook, Slack-compatible, email), the delivery queue
 * with its attempt log, and escalation policies with each incident's escalation state. The
 * database is the queue: a delivery is unique per (target, dedupe key), and is claimed by one
 * node with a conditional update, so several servers on one database send each notification once.
 */

export const TARGET_KINDS = ['webhook', 'slack', 'email'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const NOTIFICATION_KINDS = [
  'alert',
  'escalation',
  'reminder',
  'status_update',
  'resolved',
  'test',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface NotificationTarget {
  id: number;
  orgId: number;
  name: string;
  kind: TargetKind;
  /** What may be shown: URL host, SMTP host/port/from/to, … */
  config: Record<string, unknown>;
  /** Never shown: webhook secret, Slack URL, SMTP password. */
  secrets: Record<string, string>;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NewNotificationTarget {
  orgId: number;
  name: string;
  kind: TargetKind;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  enabled: boolean;
  now: number;
}

export interface NewDelivery {
  targetId: number;
  kind: NotificationKind;
  title: string;
  text: string;
  url: string | null;
  data: Record<string, unknown>;
  dedupeKey: string;
}

export interface Delivery extends NewDelivery {
  id: number;
  orgId: number;
  status: DeliveryStatus;
  /** Attempts started so far. */
  attempts: number;
  nextAttemptAt: number;
  /** While `sending`: the claim expires then and another node may take it over. */
  leaseUntil: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

export interface DeliveryAttempt {
  deliveryId: number;
  attempt: number;
  ok: boolean;
  /** HTTP status or SMTP reply code; null when there was none (refused, timed out). */
  statusCode: number | null;
  /**
   * The receiver's status or why it could not be reached; never a secret. Rows written before
   * replies were kept apart hold the reply here too ("host answered 503: <body>").
   */
  detail: string;
  /** The start of the receiver's reply, scrubbed (outgoing/reply-excerpt.ts), or null. */
  excerpt: string | null;
  startedAt: number;
  finishedAt: number;
}

export interface DeliveryOutcome {
  attempt: Omit<DeliveryAttempt, 'deliveryId'>;
  /** sent, failed for good, or pending again at nextAttemptAt. */
  status: 'sent' | 'failed' | 'pending';
  nextAttemptAt: number;
}

export interface DeliveryListQuery {
  orgId: number;
  status?: DeliveryStatus;
  targetId?: number;
  limit: number;
  offset: number;
}

export interface EscalationLevel {
  targetIds: number[];
  /** Minutes to acknowledge before the next level is notified. */
  ackMinutes: number;
}

export interface EscalationPolicy {
  orgId: number;
  severity: string;
  levels: EscalationLevel[];
  /** Who is reminded of an overdue status update (empty: the first level's targets). */
  reminderTargetIds: number[];
  /** Who receives every status update and the resolution: the stakeholders (none by default). */
  updateTargetIds: number[];
  updatedAt: number;
}

export const ESCALATION_STATES = ['active', 'acknowledged', 'exhausted'] as const;
export type EscalationStatus = (typeof ESCALATION_STATES)[number];

/** Where an incident's escalation stands: the level last notified, and since when. */
export interface EscalationState {
  incidentId: number;
  orgId: number;
  level: number;
  status: EscalationStatus;
  levelStartedAt: number;
  /** The severity whose policy it follows; null for escalations started before that was kept. */
  severity: string | null;
  updatedAt: number;
}

/**
 * One escalation step, applied only if the escalation is still as the caller read it (`from`,
 * null = not started): the state moves, the deliveries are enqueued and the timeline entry is
 * written in one transaction, so of several nodes ticking at once exactly one applies it.
 */
export interface EscalationStep {
  incidentId: number;
  orgId: number;
  from: { level: number; status: EscalationStatus; severity: string | null } | null;
  to: { level: number; status: EscalationStatus; levelStartedAt: number; severity: string | null };
  deliveries: NewDelivery[];
  entry: NewTimelineEntry;
  now: number;
}

export interface NotificationsStore {
  notificationTargets: {
    create(input: NewNotificationTarget): Promise<NotificationTarget>;
    get(orgId: number, id: number): Promise<NotificationTarget | null>;
    getById(id: number): Promise<NotificationTarget | null>;
    list(orgId: number): Promise<NotificationTarget[]>;
    update(
      orgId: number,
      id: number,
      change: Partial<Pick<NotificationTarget, 'name' | 'config' | 'secrets' | 'enabled'>> & { now: number },
    ): Promise<NotificationTarget | null>;
    delete(orgId: number, id: number): Promise<boolean>;
  };
  notificationDeliveries: {
    /**
     * One pending delivery per target of the organisation (others are skipped); a (target,
     * dedupeKey) already queued is skipped too. Returns the ids of the new rows.
     */
    enqueue(orgId: number, deliveries: NewDelivery[], now: number): Promise<number[]>;
    /**
     * Claims up to `limit` due deliveries (pending and due, or sending with an expired lease),
     * marking them `sending` until `leaseUntil` and counting the attempt. Each is claimed by one
     * caller only, also across processes.
     */
    claimDue(input: { now: number; limit: number; leaseUntil: number }): Promise<Delivery[]>;
    /** Claims one delivery if it is pending (a test send answered in its request). */
    claim(id: number, now: number, leaseUntil: number): Promise<Delivery | null>;
    /** Records the attempt and the next status; false when the claim was lost (lease taken over). */
    finish(id: number, claimedAttempt: number, outcome: DeliveryOutcome, now: number): Promise<boolean>;
    get(orgId: number, id: number): Promise<Delivery | null>;
    /** Newest first. */
    list(query: DeliveryListQuery): Promise<Delivery[]>;
    attempts(deliveryIds: number[]): Promise<DeliveryAttempt[]>;
  };
  escalationPolicies: {
    get(orgId: number, severity: string): Promise<EscalationPolicy | null>;
    list(orgId: number): Promise<EscalationPolicy[]>;
    put(policy: EscalationPolicy): Promise<void>;
    delete(orgId: number, severity: string): Promise<boolean>;
  };
  escalations: {
    get(incidentId: number): Promise<EscalationState | null>;
    /** Applies the step if the state is still `from`; false when another node got there first. */
    step(step: EscalationStep): Promise<boolean>;
    /**
     * Writes the timeline entry and, only if it is new (its dedupe key), the deliveries — one
     * transaction. For notifications owed once per fact, such as a status-update reminder.
     */
    notifyOnce(input: {
      incidentId: number;
      orgId: number;
      entry: NewTimelineEntry & { dedupeKey: string };
      deliveries: NewDelivery[];
      now: number;
    }): Promise<boolean>;
  };
}
