import { z } from 'zod';
import { invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import { requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { shortIdOf } from '../issues/short-id.ts';
import { nextOffsetCursor, parseOffsetCursor, previousOffsetCursor } from '../offset-cursor.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Issue, Project, User } from '../store/types.ts';
import { hasEnded, INCIDENT_STATUSES, type Incident, type IncidentStatus } from '../store/types-incidents.ts';
import { clip, parseInput } from '../validation.ts';
import { INCIDENT_READ } from './access.ts';
import { type IncidentSettings, loadIncidentSettings, type Severity, severityOf } from './settings.ts';
import { MINUTE_MS } from './timestamps.ts';

/** Everything the API shows of an incident, computed at read time from the row and the clock. */
export interface IncidentView {
  incident: Incident;
  severity: Severity | null;
  issues: { issue: Issue; project: Project; shortId: string }[];
  roles: { role: string; name: string; user: User | null; assignedAt: number }[];
  /** Seconds: first event → detected, detected → acknowledged, impact start → mitigated / resolved. */
  durations: {
    timeToDetect: number | null;
    timeToAcknowledge: number | null;
    timeToMitigate: number | null;
    timeToResolve: number | null;
  };
  /** First response due under the severity's target (null: next business day / none). */
  responseDueAt: number | null;
  responseOverdue: boolean;
  updateOverdue: boolean;
}

const seconds = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : Math.max(0, Math.round((to - from) / 1000));

export async function viewIncident(
  ctx: AppContext,
  incident: Incident,
  settings: IncidentSettings,
): Promise<IncidentView> {
  const now = ctx.clock.now();
  const issues: IncidentView['issues'] = [];
  for (const id of incident.issueIds) {
    const issue = await ctx.store.issues.getById(id);
    const project = issue ? await ctx.store.projects.getById(issue.projectId) : null;
    if (issue && project) issues.push({ issue, project, shortId: shortIdOf(project, issue) });
  }
  const roles: IncidentView['roles'] = [];
  for (const definition of settings.roles) {
    const held = incident.roles.find((r) => r.role === definition.key);
    if (held)
      roles.push({
        role: held.role,
        name: definition.name,
        user: await ctx.store.users.getById(held.userId),
        assignedAt: held.assignedAt,
      });
  }
  const severity = severityOf(settings, incident.severity) ?? null;
  const detected = incident.detectedAt ?? incident.declaredAt;
  const impactStart = incident.firstEventAt ?? detected;
  const responseDueAt =
    severity?.responseMinutes === null || severity === null
      ? null
      : detected + severity.responseMinutes * MINUTE_MS;
  const open = !hasEnded(incident.status);
  return {
    incident,
    severity,
    issues,
    roles,
    durations: {
      timeToDetect: seconds(incident.firstEventAt, detected),
      timeToAcknowledge: seconds(detected, incident.acknowledgedAt),
      timeToMitigate: seconds(impactStart, incident.mitigatedAt),
      timeToResolve: seconds(impactStart, incident.resolvedAt),
    },
    responseDueAt,
    responseOverdue:
      open && incident.acknowledgedAt === null && responseDueAt !== null && now > responseDueAt,
    updateOverdue: open && incident.nextUpdateDueAt !== null && now > incident.nextUpdateDueAt,
  };
}

const ListInput = z.object({
  /** `open` (neither resolved nor closed), `all`, or statuses separated by commas. */
  status: z.string().max(200).optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(64).optional(),
});

function statusesOf(filter: string | undefined): IncidentStatus[] | undefined {
  if (!filter || filter === 'all') return undefined;
  if (filter === 'open') return INCIDENT_STATUSES.filter((s) => !hasEnded(s));
  const names = filter.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(INCIDENT_STATUSES as readonly string[]).includes(name)) {
      throw invalid(`invalid status: ${clip(name)} (open, resolved, all or ${INCIDENT_STATUSES.join(', ')})`);
    }
  }
  return names as IncidentStatus[];
}

/** GET /organizations/{org}/incidents/ — newest first, offset cursors as Sentry's `0:offset:0`. */
export async function listIncidents(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
): Promise<{ views: IncidentView[]; previousCursor: string | null; nextCursor: string | null }> {
  requireScope(principal, ...INCIDENT_READ);
  const org = await resolveOrg(ctx, principal, input.org);
  const params = parseInput(ListInput, input);
  const offset = parseOffsetCursor(params.cursor);
  const settings = await loadIncidentSettings(ctx, org.id);
  const incidents = await ctx.store.incidents.list({
    orgId: org.id,
    statuses: statusesOf(params.status),
    limit: params.per_page + 1,
    offset,
  });
  const page = incidents.slice(0, params.per_page);
  return {
    views: await Promise.all(page.map((incident) => viewIncident(ctx, incident, settings))),
    previousCursor: previousOffsetCursor(offset, params.per_page),
    nextCursor: nextOffsetCursor(offset, params.per_page, incidents.length),
  };
}
