import { z } from 'zod';
import { invalid, notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { loadIncidentSettings, type Severity, severityOf } from '../incidents/settings.ts';
import { TARGETS_READ, TARGETS_WRITE } from '../notify/targets.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { EscalationPolicy } from '../store/types-notifications.ts';
import { parseInput } from '../validation.ts';

/** A policy as shown: configured or not, with what the severity table says about it. */
export interface EscalationPolicyView {
  severity: string;
  configured: boolean;
  /** The severity's escalation text (`004_…`: "VP + on-call chain") and response target. */
  escalation: string;
  responseMinutes: number | null;
  /** The acknowledgement deadline a level gets when none is given. */
  defaultAckMinutes: number;
  levels: EscalationPolicy['levels'];
  reminderTargetIds: number[];
  updateTargetIds: number[];
  updatedAt: number | null;
}

/**
 * A level's default deadline is the severity's response target: 15 minutes for P2, an hour for
 * P3. "Immediate" (0) still leaves 5 minutes to acknowledge; "next business day" a day.
 */
export function defaultAckMinutes(severity: Severity | undefined): number {
  const response = severity?.responseMinutes;
  if (response === null || response === undefined) return 1440;
  return Math.max(5, response);
}

/** A notification target's id, as a number or a numeric string. */
export const TargetId = z.union([z.number().int().min(1), z.string().regex(/^\d{1,15}$/)]).transform(Number);

const PolicyInput = z
  .object({
    levels: z
      .array(
        z
          .object({
            targets: z.array(TargetId).min(1).max(20),
            /** Minutes to acknowledge before the next level; 0 moves on at the next check. */
            ackMinutes: z.number().int().min(0).max(10_080).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(10),
    /** Who is reminded of an overdue status update; default the first level's targets. */
    reminderTargets: z.array(TargetId).max(20).default([]),
    /** Who receives every status update and the resolution (stakeholders); default nobody. */
    updateTargets: z.array(TargetId).max(20).default([]),
  })
  .strict();

function viewOf(severity: string, definition: Severity | undefined, policy: EscalationPolicy | null) {
  return {
    severity,
    configured: policy !== null,
    escalation: definition?.escalation ?? '',
    responseMinutes: definition?.responseMinutes ?? null,
    defaultAckMinutes: defaultAckMinutes(definition),
    levels: policy?.levels ?? [],
    reminderTargetIds: policy?.reminderTargetIds ?? [],
    updateTargetIds: policy?.updateTargetIds ?? [],
    updatedAt: policy?.updatedAt ?? null,
  } satisfies EscalationPolicyView;
}

/** GET /organizations/{org}/escalation-policies/ — one per severity of the organisation's scheme. */
export async function listEscalationPolicies(ctx: AppContext, principal: Principal, orgSlug: string) {
  requireScope(principal, ...TARGETS_READ);
  const org = await resolveOrg(ctx, principal, orgSlug);
  const settings = await loadIncidentSettings(ctx, org.id);
  const policies = await ctx.store.escalationPolicies.list(org.id);
  const names = [...settings.severities.map((s) => s.name), ...policies.map((p) => p.severity)];
  return [...new Set(names)].map((name) =>
    viewOf(name, severityOf(settings, name), policies.find((p) => p.severity === name) ?? null),
  );
}

export async function getEscalationPolicy(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  severity: string,
) {
  const list = await listEscalationPolicies(ctx, principal, orgSlug);
  const view = list.find((p) => p.severity === severity);
  if (!view) throw notFound('severity');
  return view;
}

/** PUT /organizations/{org}/escalation-policies/{severity}/ — replaces the severity's policy. */
export async function putEscalationPolicy(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  severity: string,
  body: unknown,
): Promise<EscalationPolicyView> {
  requireScope(principal, ...TARGETS_WRITE);
  const org = await resolveOrg(ctx, principal, orgSlug);
  const settings = await loadIncidentSettings(ctx, org.id);
  const definition = severityOf(settings, severity);
  if (!definition) {
    throw invalid(
      `unknown severity ${severity} (known: ${settings.severities.map((s) => s.name).join(', ')})`,
    );
  }
  const input = parseInput(PolicyInput, body, 'policy');
  const known = new Set((await ctx.store.notificationTargets.list(org.id)).map((t) => t.id));
  const named = [...input.levels.flatMap((l) => l.targets), ...input.reminderTargets, ...input.updateTargets];
  const unknown = named.find((id) => !known.has(id));
  if (unknown !== undefined) throw invalid(`invalid targets: ${unknown} is not a notification target here`);
  const policy: EscalationPolicy = {
    orgId: org.id,
    severity,
    levels: input.levels.map((l) => ({
      targetIds: [...new Set(l.targets)],
      ackMinutes: l.ackMinutes ?? defaultAckMinutes(definition),
    })),
    reminderTargetIds: [...new Set(input.reminderTargets)],
    updateTargetIds: [...new Set(input.updateTargets)],
    updatedAt: ctx.clock.now(),
  };
  await ctx.store.escalationPolicies.put(policy);
  return viewOf(severity, definition, policy);
}

export async function deleteEscalationPolicy(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  severity: string,
): Promise<void> {
  requireScope(principal, ...TARGETS_WRITE);
  const org = await resolveOrg(ctx, principal, orgSlug);
  if (!(await ctx.store.escalationPolicies.delete(org.id, severity))) throw notFound('escalation policy');
}
