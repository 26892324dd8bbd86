import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { distinctUsers } from '../postmortems/facts-impact.ts';
import { hasEnded, type IncidentStatus, type TimelineEntry } from '../store/types-incidents.ts';
import { parseInput } from '../validation.ts';
import { formatIncidentRef, type IncidentContext } from './access.ts';
import { latestMitigation } from './mitigate.ts';
import { computeVerification, type Verification } from './verify.ts';
import { incidentEventFilters } from './verify-counts.ts';
import { atOrUnderBaseline } from './verify-verdict.ts';
import { viewIncident } from './view.ts';

/**
 * GET /incidents/{ref}/updates/draft/ — the next status update, written from current data
 * (`003_…`: technical details for engineers, business impact for stakeholders). Deterministic
 * text: the same data gives the same words, so it can be checked and edited before posting.
 */

const DraftQuery = z.object({
  audience: z.enum(['technical', 'business']).default('technical'),
  /** An estimate someone is willing to give; without it the business draft says it is unknown. */
  eta: z.string().trim().min(1).max(200).optional(),
});

const clock = (ms: number): string => `${new Date(ms).toISOString().slice(11, 16)} UTC`;
const day = (ms: number): string => `${new Date(ms).toISOString().slice(0, 10)} ${clock(ms)}`;
const rate = (n: number | null): string => (n === null ? '—' : n.toFixed(2));
const perMin = (count: number, minutes: number): number | null =>
  minutes > 0 ? Math.round((count / minutes) * 1000) / 1000 : null;

export interface DraftBasis {
  ref: string;
  title: string;
  status: string;
  severity: string;
  severityDescription: string | null;
  services: string[];
  startedAt: string;
  durationMinutes: number;
  usersAffected: number;
  /** The environment whose users are counted (the mitigation's, as verification); null: every one. */
  environment: string | null;
  issues: {
    shortId: string;
    title: string;
    project: string;
    users: number;
    recentPerMinute: number | null;
    duringPerMinute: number | null;
    baselinePerMinute: number | null;
  }[];
  recentMinutes: number;
  recentPerMinute: number | null;
  baselinePerMinute: number | null;
  duringPerMinute: number | null;
  mitigation: {
    type: unknown;
    release: unknown;
    body: string;
    occurredAt: string;
    hooks: { project: unknown; ok: unknown; status: unknown }[];
  } | null;
  verification: { verdict: string; reason: string; holdEndsAt: string | null };
  contained: boolean;
  roles: { role: string; name: string; user: string | null }[];
  nextUpdateDue: string | null;
  updatesPosted: number;
  eta: string | null;
}

export async function draftStatusUpdate(
  ctx: AppContext,
  { incident, settings }: IncidentContext,
  query: unknown,
): Promise<{ audience: string; text: string; basedOn: DraftBasis }> {
  const { audience, eta } = parseInput(DraftQuery, query, 'query');
  const now = ctx.clock.now();
  const entries = await ctx.store.timeline.list(incident.id);
  const [view, v] = await Promise.all([
    viewIncident(ctx, incident, settings),
    computeVerification(ctx, incident, settings, entries),
  ]);
  const mitigation = latestMitigation(entries);
  const hooks = mitigation
    ? entries.filter((e) => e.kind === 'hook_result' && e.data.mitigationEntryId === mitigation.id)
    : [];
  const updates = entries.filter((e) => e.kind === 'status_update').length;
  const basedOn: DraftBasis = {
    ref: formatIncidentRef(incident),
    title: incident.title,
    status: incident.status,
    severity: incident.severity,
    severityDescription: view.severity?.description ?? null,
    services: incident.services,
    startedAt: new Date(v.incidentStart).toISOString(),
    durationMinutes: Math.max(0, Math.floor((now - v.incidentStart) / 60_000)),
    usersAffected: await usersSinceStart(ctx, incident.orgId, v, now),
    environment: v.environment,
    issues: v.issues.map((i) => ({
      shortId: i.shortId,
      title: i.title,
      project: i.project,
      users: i.userCount,
      recentPerMinute: perMin(i.counts.recent, v.recent.minutes),
      duringPerMinute: perMin(i.counts.during, v.during.minutes),
      baselinePerMinute: perMin(i.counts.baseline, v.baseline.minutes),
    })),
    recentMinutes: v.recent.minutes,
    recentPerMinute: v.recent.perMinute,
    baselinePerMinute: v.baseline.perMinute,
    duringPerMinute: v.during.perMinute,
    mitigation: mitigation
      ? {
          type: mitigation.data.type,
          release: mitigation.data.release ?? null,
          body: mitigation.body,
          occurredAt: new Date(mitigation.occurredAt).toISOString(),
          hooks: hooks.map((h) => ({ project: h.data.project, ok: h.data.ok, status: h.data.status })),
        }
      : null,
    verification: { verdict: v.verdict, reason: v.reason, holdEndsAt: iso(v.holdEndsAt) },
    // Contained: errors back at their normal level (for the hold window, or so far within it).
    contained:
      hasEnded(incident.status) ||
      v.verdict === 'resolved' ||
      (v.verdict === 'improving' && atOrUnderBaseline(v.recent, v.baseline)),
    roles: view.roles.map((r) => ({
      role: r.role,
      name: r.name,
      user: r.user?.name || r.user?.email || null,
    })),
    nextUpdateDue: iso(incident.nextUpdateDueAt),
    updatesPosted: updates,
    eta: eta ?? null,
  };
  const text =
    audience === 'technical' ? technical(basedOn, v, mitigation, hooks, now) : business(basedOn, v, now);
  return { audience, text, basedOn };
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function technical(
  b: DraftBasis,
  v: Verification,
  mitigation: TimelineEntry | null,
  hooks: TimelineEntry[],
  now: number,
): string {
  const lines = [
    `${b.ref} · ${b.severity} · ${b.status} — ${b.title}`,
    `Started ${day(v.incidentStart)} (${b.durationMinutes} min ago). Update #${b.updatesPosted + 1} at ${clock(now)}.`,
  ];
  if (b.issues.length > 0) {
    lines.push(
      `Linked issues, errors/min over the last ${v.recent.minutes} min vs the hour before the start:`,
    );
    for (const i of b.issues) {
      lines.push(
        `- ${i.shortId} ${i.title} (${i.project}): ${rate(i.recentPerMinute)}/min now, ${rate(i.duringPerMinute)}/min ${mitigation ? 'before the mitigation' : 'since the start'}, baseline ${rate(i.baselinePerMinute)}/min; ${i.users} users`,
      );
    }
    lines.push(
      `Total: ${rate(v.recent.perMinute)}/min now vs baseline ${rate(v.baseline.perMinute)}/min (${v.recent.count} events in the last ${v.recent.minutes} min).`,
    );
  } else lines.push('No linked issues: link the issues to get error rates.');
  if (mitigation) {
    const results = hooks.map(
      (h) => `hook ${h.data.project}: ${h.data.ok ? 'ok' : 'failed'} (${h.data.status ?? '—'})`,
    );
    lines.push(
      `Mitigation: ${mitigation.body} at ${clock(mitigation.occurredAt)}${results.length ? `; ${results.join('; ')}` : ''}.`,
    );
  } else lines.push('Mitigation: none recorded yet.');
  const holdEnd =
    v.holdEndsAt !== null && v.holdEndsAt > now ? `; resolved at ${clock(v.holdEndsAt)} if it holds` : '';
  lines.push(
    `Verification: ${v.verdict.replace('_', ' ')} — ${v.reason}${v.verdict === 'improving' ? holdEnd : ''}.`,
  );
  lines.push(
    `Roles: ${b.roles.length ? b.roles.map((r) => `${r.name}: ${r.user ?? '—'}`).join('; ') : 'none assigned'}.`,
  );
  if (!hasEnded(b.status as IncidentStatus)) {
    lines.push(
      b.nextUpdateDue
        ? `Next update by ${clock(Date.parse(b.nextUpdateDue))}.`
        : 'Next update: no cadence set.',
    );
  }
  return lines.join('\n');
}

const STATE: Record<string, string> = {
  triage: 'We are assessing',
  investigating: 'We are investigating',
  identified: 'We have found the cause of',
  mitigating: 'We are applying a fix for',
  monitoring: 'We have applied a fix and are monitoring',
  resolved: 'We have resolved',
};

const CONTAINMENT: Record<string, string> = {
  resolved: 'Errors have been back to their normal level since the fix. The problem is contained.',
  improving:
    'A fix is in place and errors are going down, though not yet to their normal level. The problem is not yet contained.',
  settling:
    'A fix is in place and errors are back to their normal level. We are watching to confirm it holds.',
  pending: 'A fix has just been applied; we are checking its effect. The problem is not yet contained.',
  not_improved: 'A fix has been applied but errors have not gone down yet. The problem is not yet contained.',
  worse: 'Errors went up after the latest change; the team is on it. The problem is not contained.',
  no_mitigation: 'The team is working on a fix. The problem is not yet contained.',
  no_data: 'The team is working on it.',
};

/**
 * Distinct users across the linked issues' events since the incident started: one user who hit
 * two of its issues is one user affected, not two (summing each issue's count said so).
 */
async function usersSinceStart(
  ctx: AppContext,
  orgId: number,
  v: Verification,
  now: number,
): Promise<number> {
  if (v.issues.length === 0) return 0;
  return distinctUsers(ctx, {
    orgId,
    projectIds: [...new Set(v.issues.map((i) => i.projectId))],
    start: v.incidentStart,
    end: now,
    // The environment verification counts (the mitigation's): staging's testers are not users.
    filters: incidentEventFilters(
      v.issues.map((i) => i.issueId),
      v.environment,
    ),
  });
}

function business(b: DraftBasis, v: Verification, now: number): string {
  const where = b.services.length ? ` affecting ${b.services.join(', ')}` : '';
  const lead = b.roles.find((r) => r.role === 'commander')?.user;
  const ended = hasEnded(b.status as IncidentStatus);
  return [
    `${b.title} — update at ${clock(now)}`,
    `${STATE[b.status] ?? 'We are working on'} an issue${where} that started at ${day(v.incidentStart)} (${b.durationMinutes} minutes ago).`,
    b.usersAffected > 0
      ? `Impact: about ${b.usersAffected} ${b.usersAffected === 1 ? 'user has' : 'users have'} run into errors so far${b.environment ? ` in ${b.environment}` : ''}${b.severityDescription ? ` (${b.severity}: ${b.severityDescription})` : ''}.`
      : `Impact: no affected users counted so far${b.severityDescription ? ` (${b.severity}: ${b.severityDescription})` : ''}.`,
    ended
      ? 'The problem is resolved.'
      : CONTAINMENT[
          v.verdict === 'improving' && atOrUnderBaseline(v.recent, v.baseline) ? 'settling' : v.verdict
        ],
    // Once resolved, there is no resolution to expect and no further update owed.
    ended ? null : `Expected resolution: ${b.eta ?? 'not known yet'}.`,
    lead ? `Incident lead: ${lead}.` : null,
    b.nextUpdateDue && !ended ? `Next update by ${clock(Date.parse(b.nextUpdateDue))}.` : null,
  ]
    .filter((line) => line !== null)
    .join('\n');
}
