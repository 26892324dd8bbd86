import { z } from 'zod';
import { conflict, invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import {
  INCIDENT_STATUSES,
  type Incident,
  type IncidentFields,
  type IncidentStatus,
  type NewTimelineEntry,
} from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import { type IncidentContext, resolveMember } from './access.ts';
import { LinkUrl } from './declare.ts';
import { type IncidentSettings, severityOf } from './settings.ts';
import { MINUTE_MS, milestonesInOrder, notInFuture, Timestamp } from './timestamps.ts';

export const UpdateIncidentInput = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    severity: z.string().trim().max(16).optional(),
    status: z.enum(INCIDENT_STATUSES).optional(),
    services: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    ticketUrl: LinkUrl.optional(),
    channelUrl: LinkUrl.optional(),
    rootCause: z.string().trim().max(5000).nullable().optional(),
    detectionSource: z.string().trim().max(100).optional(),
    detectedAt: Timestamp.optional(),
    firstEventAt: Timestamp.optional(),
    /** The change applies only if the incident is still in this status (else 409). */
    expectedStatus: z.enum(INCIDENT_STATUSES).optional(),
    /** The change applies only if the incident is still at this version (else 409). */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();

const FIELD_LABELS: Partial<Record<keyof IncidentFields, string>> = {
  title: 'Title',
  services: 'Affected services',
  ticketUrl: 'Ticket',
  channelUrl: 'Channel',
  rootCause: 'Root cause',
  detectionSource: 'Detection source',
  detectedAt: 'Detected at',
  firstEventAt: 'First event at',
};

const show = (value: unknown): string =>
  value === null || value === undefined
    ? '—'
    : Array.isArray(value)
      ? value.join(', ')
      : typeof value === 'number'
        ? new Date(value).toISOString()
        : String(value);

/** When the next status update is due under a severity's cadence, counted from the last one. */
export function nextUpdateDue(settings: IncidentSettings, severity: string, since: number): number | null {
  const cadence = severityOf(settings, severity)?.updateCadenceMinutes ?? null;
  return cadence === null ? null : since + cadence * MINUTE_MS;
}

/**
 * Applies a change as one conditional write: it succeeds only if nobody changed the incident
 * since it was read (or since `expectedVersion`), so of two racing transitions one gets 409.
 */
export async function applyChange(
  ctx: AppContext,
  incident: Incident,
  change: {
    fields?: Partial<IncidentFields>;
    roles?: { role: string; userId: number | null }[];
    entries: NewTimelineEntry[];
    expectedVersion?: number;
    now: number;
  },
): Promise<Incident> {
  const updated = await ctx.store.incidents.update(incident.id, {
    ...change,
    expectedVersion: change.expectedVersion ?? incident.version,
  });
  if (!updated) throw conflict('The incident was changed by someone else; reload it and try again.');
  return updated;
}

/** PUT /incidents/{ref}/ — fields, severity and lifecycle status; each change is a timeline entry. */
export async function updateIncident(
  ctx: AppContext,
  principal: Principal,
  { incident, settings }: IncidentContext,
  body: unknown,
): Promise<Incident> {
  const input = parseInput(UpdateIncidentInput, body, 'incident');
  if (input.expectedStatus && input.expectedStatus !== incident.status) {
    throw conflict(`The incident is ${incident.status}, not ${input.expectedStatus}.`);
  }
  if (input.expectedVersion !== undefined && input.expectedVersion !== incident.version) {
    throw conflict(`The incident is at version ${incident.version}, not ${input.expectedVersion}.`);
  }
  const now = ctx.clock.now();
  notInFuture(input.detectedAt, now, 'detectedAt');
  notInFuture(input.firstEventAt, now, 'firstEventAt');
  milestonesInOrder(
    {
      firstEventAt: input.firstEventAt ?? incident.firstEventAt,
      detectedAt: input.detectedAt ?? incident.detectedAt ?? incident.declaredAt,
      declaredAt: incident.declaredAt,
    },
    input,
  );
  const actor = principal.actor;
  const fields: Partial<IncidentFields> = {};
  const entries: NewTimelineEntry[] = [];

  if (input.severity !== undefined && input.severity !== incident.severity) {
    if (!severityOf(settings, input.severity)) {
      throw invalid(
        `unknown severity ${input.severity} (known: ${settings.severities.map((s) => s.name).join(', ')})`,
      );
    }
    fields.severity = input.severity;
    fields.nextUpdateDueAt = nextUpdateDue(
      settings,
      input.severity,
      incident.lastUpdateAt ?? incident.declaredAt,
    );
    entries.push({
      kind: 'severity',
      body: `Severity ${incident.severity} → ${input.severity}`,
      data: { from: incident.severity, to: input.severity },
      actor,
      occurredAt: now,
    });
  }
  if (input.status !== undefined && input.status !== incident.status) {
    Object.assign(fields, statusFields(incident, input.status, now));
    // Reopened, it owes its stakeholders updates again, from now on its severity's cadence (the
    // due time it had, if any, passed or was cleared while it was resolved).
    if (isFinished(incident))
      fields.nextUpdateDueAt = nextUpdateDue(settings, fields.severity ?? incident.severity, now);
    entries.push({
      kind: isFinished(incident) ? 'reopened' : 'status',
      body: `Status ${incident.status} → ${input.status}`,
      data: { from: incident.status, to: input.status },
      actor,
      occurredAt: now,
    });
  }
  for (const key of Object.keys(FIELD_LABELS) as (keyof typeof FIELD_LABELS)[]) {
    const value = input[key as keyof typeof input];
    if (value === undefined || JSON.stringify(value) === JSON.stringify(incident[key])) continue;
    (fields as Record<string, unknown>)[key] = value;
    entries.push({
      kind: 'field',
      body: `${FIELD_LABELS[key]}: ${show(value)}`.slice(0, 5000),
      data: { field: key, from: incident[key], to: value },
      actor,
      occurredAt: now,
    });
  }
  if (entries.length === 0) return incident;
  return applyChange(ctx, incident, { fields, entries, now });
}

/** Resolved or closed: moving it anywhere else reopens it. */
const isFinished = (incident: Incident): boolean =>
  incident.status === 'resolved' || incident.status === 'closed';

/**
 * Status moves: any order while open (incidents rarely follow the script); resolving and closing
 * have their own verbs.
 */
function statusFields(incident: Incident, to: IncidentStatus, now: number): Partial<IncidentFields> {
  if (to === 'resolved') {
    throw invalid('resolve the incident with POST …/resolve/ (it needs a root cause and a verification)');
  }
  if (to === 'closed') {
    throw invalid('close the incident with POST …/close/ (it needs a resolved incident and its post-mortem)');
  }
  const fields: Partial<IncidentFields> = { status: to };
  // Leaving triage is the first response: it acknowledges the incident if nobody did yet.
  if (incident.acknowledgedAt === null && to !== 'triage') fields.acknowledgedAt = now;
  if (isFinished(incident)) {
    fields.resolvedAt = null;
    fields.resolutionOverride = null;
  }
  return fields;
}

/** POST /incidents/{ref}/acknowledge/ — idempotent; the first acknowledgement sets the milestone. */
export async function acknowledgeIncident(
  ctx: AppContext,
  principal: Principal,
  { incident }: IncidentContext,
): Promise<Incident> {
  if (incident.acknowledgedAt !== null) return incident;
  const now = ctx.clock.now();
  return applyChange(ctx, incident, {
    fields: { acknowledgedAt: now },
    entries: [{ kind: 'acknowledged', body: 'Acknowledged', actor: principal.actor, occurredAt: now }],
    now,
  });
}

const RoleInput = z.object({ user: z.string().trim().min(1).max(320) }).strict();

/** PUT /incidents/{ref}/roles/{role}/ (body `{user}`) and DELETE (user null): one holder per role. */
export async function setRole(
  ctx: AppContext,
  principal: Principal,
  { org, incident, settings }: IncidentContext,
  role: string,
  body: unknown | null,
): Promise<Incident> {
  const definition = settings.roles.find((r) => r.key === role);
  if (!definition) {
    throw invalid(`unknown role ${role} (known: ${settings.roles.map((r) => r.key).join(', ')})`);
  }
  const userId =
    body === null ? null : await resolveMember(ctx, principal, org, parseInput(RoleInput, body, 'role').user);
  const current = incident.roles.find((r) => r.role === role)?.userId ?? null;
  if (current === userId) return incident;
  const user = userId === null ? null : await ctx.store.users.getById(userId);
  const now = ctx.clock.now();
  return applyChange(ctx, incident, {
    roles: [{ role, userId }],
    entries: [
      {
        kind: 'role',
        body: user ? `${definition.name}: ${user.name || user.email}` : `${definition.name}: unassigned`,
        data: { role, userId, previousUserId: current },
        actor: principal.actor,
        occurredAt: now,
      },
    ],
    now,
  });
}
