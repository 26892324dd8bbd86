import { z } from 'zod';
import { invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import { requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { shortIdOf } from '../issues/short-id.ts';
import { afterDeclare } from '../memory/after-declare.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import type { Incident, NewTimelineEntry } from '../store/types-incidents.ts';
import { hasEnded, INCIDENT_STATUSES } from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import { INCIDENT_WRITE, resolveIssueRefs } from './access.ts';
import { firstEventOf, issuesNewToIncidents, linkEntry } from './issue-links.ts';
import { loadIncidentSettings, severityOf } from './settings.ts';
import { milestonesInOrder, notInFuture, Timestamp } from './timestamps.ts';

/**
 * A ticket or channel link: http(s) only. Clients show it as a link, and zod's url() alone
 * lets `javascript:` and `data:` through.
 */
export const LinkUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((text) => /^https?:\/\//i.test(text), 'must be an http:// or https:// URL')
  .nullable();

export const DeclareInput = z
  .object({
    title: z.string().trim().min(1).max(200).optional(),
    severity: z.string().trim().max(16).optional(),
    /** Issue ids or short ids (`WEB-12`), in any of the organisation's projects. */
    issues: z.array(z.string().max(100)).max(50).default([]),
    services: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
    ticketUrl: LinkUrl.optional(),
    channelUrl: LinkUrl.optional(),
    detectedAt: Timestamp.optional(),
    detectionSource: z.string().trim().max(100).optional(),
    firstEventAt: Timestamp.optional(),
    status: z.enum(INCIDENT_STATUSES.filter((s) => !hasEnded(s)) as [string, ...string[]]).optional(),
  })
  .strict();

/**
 * POST /organizations/{org}/incidents/ — declares an incident by hand or from issues. Without a
 * title the first issue names it; without services, the issues' projects are the services.
 */
export async function declareIncident(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  body: unknown,
): Promise<Incident> {
  requireScope(principal, ...INCIDENT_WRITE);
  const org = await resolveOrg(ctx, principal, orgSlug);
  return declareIncidentAs(ctx, org, principal.actor, body);
}

/**
 * The declaration itself, for a person (through declareIncident) or for Firebreak (an alert
 * rule, actor `system`): the caller has checked who may declare in the organisation.
 */
export async function declareIncidentAs(
  ctx: AppContext,
  org: Org,
  actor: string,
  body: unknown,
): Promise<Incident> {
  const input = parseInput(DeclareInput, body, 'incident');
  const settings = await loadIncidentSettings(ctx, org.id);
  const severity = input.severity ?? settings.defaultSeverity;
  const level = severityOf(settings, severity);
  if (!level) {
    throw invalid(
      `unknown severity ${severity} (known: ${settings.severities.map((s) => s.name).join(', ')})`,
    );
  }
  const linked = await resolveIssueRefs(ctx, org, input.issues);
  if (!input.title && linked.length === 0) throw invalid('an incident needs a title or at least one issue');
  const now = ctx.clock.now();
  notInFuture(input.detectedAt, now, 'detectedAt');
  notInFuture(input.firstEventAt, now, 'firstEventAt');
  if (input.firstEventAt !== undefined) {
    milestonesInOrder(
      { firstEventAt: input.firstEventAt, detectedAt: input.detectedAt ?? now, declaredAt: now },
      input,
    );
  }
  const first = linked[0];
  const title = input.title ?? `${shortIdOf(first.project, first.issue)}: ${first.issue.title}`.slice(0, 200);
  const services = input.services ?? [...new Set(linked.map((l) => l.project.slug))];
  const entries: NewTimelineEntry[] = [
    {
      kind: 'declared',
      body: `Declared ${severity}: ${title}`,
      data: { severity, services, source: input.detectionSource ?? 'manual' },
      actor,
      occurredAt: now,
    },
    ...linked.map((l) => linkEntry(l, actor, now)),
  ];
  const status = (input.status as Incident['status'] | undefined) ?? 'triage';
  const incident = await ctx.store.incidents.create({
    orgId: org.id,
    title,
    severity,
    status,
    // Declared already out of triage, someone is on it: acknowledged, as a later move out of
    // triage would be, so escalation does not page its levels.
    acknowledgedAt: status === 'triage' ? null : now,
    services,
    ticketUrl: input.ticketUrl ?? null,
    channelUrl: input.channelUrl ?? null,
    detectionSource: input.detectionSource ?? 'manual',
    detectedAt: input.detectedAt ?? now,
    firstEventAt:
      input.firstEventAt ??
      firstEventOf(
        await issuesNewToIncidents(
          ctx,
          linked.map((l) => l.issue),
        ),
        now,
      ),
    nextUpdateDueAt: level.updateCadenceMinutes === null ? null : now + level.updateCadenceMinutes * 60_000,
    issueIds: linked.map((l) => l.issue.id),
    createdBy: actor,
    now,
    entries,
  });
  // Links to earlier incidents on the same issues, and the runbooks that apply (src/memory).
  await afterDeclare(ctx, org, incident);
  return incident;
}
