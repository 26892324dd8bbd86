import { z } from 'zod';
import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { parseUtcDate } from '../events/time-range.ts';
import { INCIDENT_READ } from '../incidents/access.ts';
import { loadIncidentSettings } from '../incidents/settings.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { clip, parseInput } from '../validation.ts';
import { type ActionItemMetrics, actionItemMetrics } from './metrics-action-items.ts';
import { type FragileAreas, fragileAreas } from './metrics-areas.ts';
import { type GroupStats, groupBy, groupStats, monthOf, monthsBetween } from './metrics-stats.ts';
import { loadMemoryScope, signaturesOf } from './signature.ts';

const DAY = 86_400_000;
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: DAY, w: 7 * DAY };
/** Two years: long enough to see a fragile area come back, short enough to stay one query. */
export const MAX_SINCE_DAYS = 730;
/** Incidents read per report at most. */
const MAX_INCIDENTS = 5000;

const MetricsQuery = z.object({ since: z.string().trim().max(40).default('90d') });

/** `90d`, `12w`, `48h`, or an ISO date; at most MAX_SINCE_DAYS back. */
export function parseSince(text: string, now: number): number {
  const relative = /^(\d{1,6})([hdw])$/.exec(text);
  const start = relative ? now - Number(relative[1]) * UNIT_MS[relative[2]] : parseUtcDate(text);
  if (start === null) throw invalid(`invalid since "${clip(text)}": use e.g. 90d, 12w, 48h or 2026-01-01`);
  if (start > now) throw invalid('invalid since: it is in the future');
  if (now - start > MAX_SINCE_DAYS * DAY) throw invalid(`invalid since: at most ${MAX_SINCE_DAYS}d back`);
  return start;
}

export interface IncidentMetrics {
  since: number;
  until: number;
  total: GroupStats;
  /** In the organisation's severity order, then any other severity incidents still carry. */
  bySeverity: ({ severity: string } & GroupStats)[];
  /** Every month of the period, ascending (empty months included). */
  byMonth: ({ month: string } & GroupStats)[];
  fragileAreas: FragileAreas;
  actionItems: ActionItemMetrics;
  truncated: boolean;
}

/**
 * GET /organizations/{org}/incident-metrics/?since=90d — incidents declared in the period: time
 * to detect, acknowledge, mitigate and resolve by severity and by month, the fragile areas, and
 * the organisation's open and overdue action items.
 */
export async function incidentMetrics(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
): Promise<IncidentMetrics> {
  requireScope(principal, ...INCIDENT_READ);
  const org = await resolveOrg(ctx, principal, input.org);
  const { since } = parseInput(MetricsQuery, input);
  const now = ctx.clock.now();
  const start = parseSince(since, now);
  const found = await ctx.store.incidentMemory.listDeclared({
    orgId: org.id,
    start,
    end: now + 1,
    limit: MAX_INCIDENTS + 1,
  });
  const incidents = found.slice(0, MAX_INCIDENTS);
  const settings = await loadIncidentSettings(ctx, org.id);
  const order = settings.severities.map((s) => s.name);
  const bySeverity = groupBy(incidents, (i) => i.severity);
  const severities = [
    ...order.filter((name) => bySeverity.has(name)),
    ...[...bySeverity.keys()].filter((name) => !order.includes(name)).sort(),
  ];
  const months = monthsBetween(start, now);
  const byMonth = groupBy(incidents, (i) => monthOf(i.declaredAt));
  const scope = await loadMemoryScope(ctx, org);
  const signatures = await signaturesOf(ctx, scope, incidents);
  return {
    since: start,
    until: now,
    total: groupStats(incidents),
    bySeverity: severities.map((severity) => ({ severity, ...groupStats(bySeverity.get(severity) ?? []) })),
    byMonth: months.map((month) => ({ month, ...groupStats(byMonth.get(month) ?? []) })),
    fragileAreas: fragileAreas(
      months,
      incidents,
      signatures,
      (id) => scope.projects.get(id)?.slug ?? String(id),
    ),
    actionItems: await actionItemMetrics(ctx, org, now),
    truncated: found.length > MAX_INCIDENTS,
  };
}
