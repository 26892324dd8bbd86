import { z } from 'zod';
import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { parseInput } from '../validation.ts';

/**
 * Per-organisation incident settings: the severity scheme (with response targets, escalation
 * and status-update cadence per level), the role list, the tag that names a component, and the
 * verification hold window. Stored as one JSON document; absent means the defaults.
 */

const Severity = z.object({
  name: z.string().trim().min(1).max(16),
  description: z.string().max(200).default(''),
  /** Minutes to first response; null = next business day. */
  responseMinutes: z.number().int().min(0).max(100_000).nullable(),
  /** Minutes between status updates; null = no cadence. */
  updateCadenceMinutes: z.number().int().min(1).max(100_000).nullable(),
  escalation: z.string().max(200).default(''),
});
export type Severity = z.infer<typeof Severity>;

const Role = z.object({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'role keys are lowercase letters, digits and _'),
  name: z.string().trim().min(1).max(64),
});
export type RoleDefinition = z.infer<typeof Role>;

/** A tag key as events carry them (src/events/attributes.ts): `service`, `app.component`. */
const ComponentTag = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[\w.:@-]+$/, 'must be a tag key: letters, digits and _ . : @ - only');

export const IncidentSettings = z.object({
  scheme: z.string().max(32).default('custom'),
  severities: z
    .array(Severity)
    .min(1)
    .max(10)
    .refine((list) => new Set(list.map((s) => s.name)).size === list.length, 'severity names must be unique'),
  /** The severity a declaration gets when none is given. */
  defaultSeverity: z.string().max(16),
  roles: z
    .array(Role)
    .min(1)
    .max(12)
    .refine((list) => new Set(list.map((r) => r.key)).size === list.length, 'role keys must be unique'),
  /** Tag whose values name components (e.g. `service`); null = transactions / URLs / projects. */
  componentTag: ComponentTag.nullable().default(null),
  /** Minutes the error rate must stay at or under the baseline for a "resolved" verification. */
  holdMinutes: z.number().int().min(1).max(1440).default(10),
});
export type IncidentSettings = z.infer<typeof IncidentSettings>;

const DEFAULT_ROLES: RoleDefinition[] = [
  { key: 'commander', name: 'Incident Commander' },
  { key: 'ops_lead', name: 'Ops Lead' },
  { key: 'comms_lead', name: 'Comms Lead' },
  { key: 'scribe', name: 'Scribe' },
];

/** `004_…`'s P1–P4: response times and escalation as its table gives them. */
const P1_P4: Severity[] = [
  {
    name: 'P1',
    description: 'Service down, all users affected',
    responseMinutes: 0,
    updateCadenceMinutes: 15,
    escalation: 'VP + on-call chain',
  },
  {
    name: 'P2',
    description: 'Major degradation, many users',
    responseMinutes: 15,
    updateCadenceMinutes: 30,
    escalation: 'Manager + team lead',
  },
  {
    name: 'P3',
    description: 'Partial degradation, some users',
    responseMinutes: 60,
    updateCadenceMinutes: 60,
    escalation: 'Team lead',
  },
  {
    name: 'P4',
    description: 'Minor issue, workaround exists',
    responseMinutes: null,
    updateCadenceMinutes: null,
    escalation: 'Ticket',
  },
];

/** `003_…`'s P0–P3 ("brief status updates every 15 minutes" while it is serious). */
const P0_P3: Severity[] = [
  {
    name: 'P0',
    description: 'Complete outage',
    responseMinutes: 0,
    updateCadenceMinutes: 15,
    escalation: 'Everyone on call',
  },
  {
    name: 'P1',
    description: 'Major functionality broken',
    responseMinutes: 60,
    updateCadenceMinutes: 15,
    escalation: 'On-call chain',
  },
  {
    name: 'P2',
    description: 'Significant issues',
    responseMinutes: 240,
    updateCadenceMinutes: 60,
    escalation: 'Team lead',
  },
  {
    name: 'P3',
    description: 'Minor issues',
    responseMinutes: null,
    updateCadenceMinutes: null,
    escalation: 'Ticket',
  },
];

export const SEVERITY_SCHEMES: Record<string, { severities: Severity[]; defaultSeverity: string }> = {
  'P1-P4': { severities: P1_P4, defaultSeverity: 'P2' },
  'P0-P3': { severities: P0_P3, defaultSeverity: 'P1' },
};

export const DEFAULT_SETTINGS: IncidentSettings = {
  scheme: 'P1-P4',
  ...SEVERITY_SCHEMES['P1-P4'],
  roles: DEFAULT_ROLES,
  componentTag: null,
  holdMinutes: 10,
};

export async function loadIncidentSettings(ctx: AppContext, orgId: number): Promise<IncidentSettings> {
  const stored = await ctx.store.incidentSettings.get(orgId);
  if (!stored) return DEFAULT_SETTINGS;
  const parsed = IncidentSettings.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export function severityOf(settings: IncidentSettings, name: string): Severity | undefined {
  return settings.severities.find((s) => s.name === name);
}

/** GET /organizations/{org}/incident-settings/ */
export async function getIncidentSettings(ctx: AppContext, principal: Principal, orgSlug: string) {
  requireScope(principal, 'incident:read', 'incident:write');
  const org = await resolveOrg(ctx, principal, orgSlug);
  return loadIncidentSettings(ctx, org.id);
}

const SettingsPatch = z
  .object({
    /** A named preset replaces the severities (and the default severity) at once. */
    scheme: z.enum(Object.keys(SEVERITY_SCHEMES) as [string, ...string[]]).optional(),
    severities: IncidentSettings.shape.severities.optional(),
    defaultSeverity: z.string().max(16).optional(),
    roles: IncidentSettings.shape.roles.optional(),
    componentTag: ComponentTag.nullable().optional(),
    holdMinutes: z.number().int().min(1).max(1440).optional(),
  })
  .strict();

/** PUT /organizations/{org}/incident-settings/ — changing how the organisation runs incidents is org:write. */
export async function updateIncidentSettings(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  body: unknown,
): Promise<IncidentSettings> {
  requireScope(principal, 'org:write', 'org:admin');
  const org = await resolveOrg(ctx, principal, orgSlug);
  const patch = parseInput(SettingsPatch, body, 'settings');
  const current = await loadIncidentSettings(ctx, org.id);
  const preset = patch.scheme ? SEVERITY_SCHEMES[patch.scheme] : undefined;
  const next = {
    ...current,
    ...(preset ? { scheme: patch.scheme, ...preset } : {}),
    ...(patch.severities ? { severities: patch.severities, scheme: 'custom' } : {}),
    ...(patch.defaultSeverity ? { defaultSeverity: patch.defaultSeverity } : {}),
    ...(patch.roles ? { roles: patch.roles } : {}),
    ...(patch.componentTag !== undefined ? { componentTag: patch.componentTag } : {}),
    ...(patch.holdMinutes ? { holdMinutes: patch.holdMinutes } : {}),
  };
  if (
    patch.severities &&
    !patch.defaultSeverity &&
    !severityOf(next as IncidentSettings, next.defaultSeverity)
  ) {
    next.defaultSeverity = patch.severities[0].name;
  }
  const settings = parseInput(IncidentSettings, next, 'settings');
  if (!severityOf(settings, settings.defaultSeverity)) {
    throw invalid(`invalid defaultSeverity: ${settings.defaultSeverity} is not one of the severities`);
  }
  await ctx.store.incidentSettings.put(org.id, settings, ctx.clock.now());
  return settings;
}
