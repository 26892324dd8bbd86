import { z } from 'zod';
import { conflict, invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { announceToStakeholders, stakeholdersOf } from '../escalation/announce.ts';
import { hasEnded, type Incident } from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import { formatIncidentRef, type IncidentContext } from './access.ts';
import { applyChange } from './change.ts';
import { computeVerification } from './verify.ts';
import { verificationRecord, verificationSummary } from './verify-record.ts';

export const ResolveInput = z
  .object({
    /** Sets (or replaces) the incident's root-cause summary. */
    rootCause: z.string().trim().min(1).max(5000).optional(),
    /** Resolve without a root cause or a "resolved" verification; the reason is recorded. */
    override: z.string().trim().min(1).max(2000).optional(),
  })
  .strict();

/**
 * POST /incidents/{ref}/resolve/ — needs a root cause and a verification computed now that says
 * "resolved" (`001_…` phase 5; "do not declare resolved without understanding why"), or an
 * override with its reason. The change is conditional: a concurrent change makes it 409.
 */
export async function resolveIncident(
  ctx: AppContext,
  principal: Principal,
  { incident, settings }: IncidentContext,
  body: unknown,
): Promise<Incident> {
  const input = parseInput(ResolveInput, body, 'resolve');
  const ref = formatIncidentRef(incident);
  if (hasEnded(incident.status)) throw conflict(`${ref} is already ${incident.status}`);
  const rootCause = input.rootCause ?? incident.rootCause;
  const verification = await computeVerification(ctx, incident, settings);
  const missing: string[] = [];
  if (!rootCause) missing.push('a root cause (give rootCause / --root-cause, or set it on the incident)');
  if (verification.verdict !== 'resolved') {
    missing.push(`a "resolved" verification (${verificationGap(verification)})`);
  }
  if (missing.length > 0 && !input.override) {
    throw invalid(
      `${ref} cannot be resolved yet: it needs ${missing.join(' and ')}; or resolve with override: "<reason>" (--override "<reason>")`,
    );
  }
  const now = ctx.clock.now();
  const override = missing.length > 0 ? (input.override ?? null) : null;
  const summary = verificationSummary(verification);
  const stakeholders = await stakeholdersOf(ctx, incident);
  const resolved = await applyChange(ctx, incident, {
    fields: {
      status: 'resolved',
      resolvedAt: now,
      rootCause: rootCause ?? null,
      // An override given when nothing was missing changes nothing, so it is not recorded as one.
      resolutionOverride: override,
      // Resolving straight from triage is a move out of it: the acknowledgement, if none came.
      ...(incident.acknowledgedAt === null ? { acknowledgedAt: now } : {}),
    },
    entries: [
      {
        kind: 'resolved',
        body: [
          `Resolved${rootCause ? `: ${rootCause}` : ''}`,
          override ? ` — override (${missing.length} missing): ${override}` : ` — ${summary}`,
        ]
          .join('')
          .slice(0, 10_000),
        data: {
          from: incident.status,
          rootCause: rootCause ?? null,
          override,
          missing,
          verification: verificationRecord(verification),
          notified: stakeholders.names,
        },
        actor: principal.actor,
        occurredAt: now,
      },
    ],
    now,
  });
  await announceToStakeholders(ctx, resolved, stakeholders, {
    kind: 'resolved',
    title: `resolved: ${incident.title}`,
    text: [
      `Root cause: ${rootCause ?? 'not recorded'}.`,
      override ? `Resolved without a verified fix: ${override}.` : `Verified: ${summary}.`,
    ].join('\n'),
    data: { resolution: { rootCause: rootCause ?? null, override, resolvedAt: new Date(now).toISOString() } },
    dedupeKey: `resolved:${incident.id}:${now}`,
  });
  return resolved;
}

/** Why the verification is not "resolved" yet, in the numbers a responder acts on. */
function verificationGap(v: Awaited<ReturnType<typeof computeVerification>>): string {
  const rate = (n: number | null) => (n === null ? '—' : n.toFixed(2));
  switch (v.verdict) {
    case 'no_mitigation':
      return 'no mitigation has been recorded';
    case 'no_data':
      return 'no linked issues whose error rate could show it';
    case 'pending':
      return 'the mitigation is less than a minute old';
    case 'improving': {
      const numbers = `${rate(v.recent.perMinute)}/min over the last ${v.recent.minutes} min vs baseline ${rate(v.baseline.perMinute)}/min`;
      return v.holdEndsAt !== null && v.holdEndsAt > v.computedAt
        ? `improving, ${numbers}; the ${v.holdMinutes} min hold window ends at ${new Date(v.holdEndsAt).toISOString()}`
        : `improving but still above the baseline, ${numbers}`;
    }
    default:
      return `the verdict is ${v.verdict.replace('_', ' ')}: ${rate(v.recent.perMinute)}/min over the last ${v.recent.minutes} min vs baseline ${rate(v.baseline.perMinute)}/min`;
  }
}
