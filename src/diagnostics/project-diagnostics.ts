import { z } from 'zod';
import { invalid } from '../app-error.ts';
import { effectiveScopes, type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { periodMs } from '../events/time-range.ts';
import { resolveProject } from '../orgs/resolve.ts';
import { RUNBOOK_READ } from '../runbooks/schemas.ts';
import type { Incident } from '../store/types-incidents.ts';
import type { Runbook } from '../store/types-runbooks.ts';
import { parseInput } from '../validation.ts';
import { type Changes, recentChanges } from './changes.ts';
import { type FrameRow, topFrames } from './frames.ts';
import { openIncidentsOf, runbooksFor } from './incidents.ts';
import { type IssueSummary, summarizeIssues } from './issues.ts';
import { type DiagnosticsScope, diagnosticsScope, MINUTE_MS } from './scope.ts';
import { type AffectedUsers, affectedUsers } from './users.ts';

const HOUR_MS = 60 * MINUTE_MS;

const DiagnosticsQuery = z.object({
  since: z.string().trim().max(10).default('1h'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export interface ProjectDiagnostics {
  scope: DiagnosticsScope;
  issues: IssueSummary;
  frames: FrameRow[];
  users: AffectedUsers;
  changes: Changes;
  /** Null when the caller may not read incidents (needs incident:read). */
  openIncidents: Incident[] | null;
  /** Null when the caller may not read runbooks (needs incident:read or project:read). */
  runbooks: Runbook[] | null;
  /** What was left out and why. */
  omitted: string[];
}

/**
 * GET /projects/{org}/{project}/diagnostics/?since=1h — `004_…`'s gather_diagnostics for one
 * service, from Firebreak's own data: the busiest issues and their rates against the window
 * before, where they crash, who they hit, what was released and deployed, and the incidents and
 * runbooks that involve the project. Needs event:read; the incidents part also incident:read and
 * the runbooks part incident:read or project:read, else those parts are null and listed in
 * `omitted`. Rates come from the minute buckets, so the window is at most their retention.
 */
export async function projectDiagnostics(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string } & Record<string, unknown>,
): Promise<ProjectDiagnostics> {
  requireScope(principal, 'event:read');
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  const query = parseInput(DiagnosticsQuery, input);
  const maxHours = ctx.config.minuteBucketRetentionHours;
  const sinceMs = periodMs(query.since, 'since', `30m, 1h, ${maxHours}h`);
  if (sinceMs < MINUTE_MS) throw invalid('invalid since: at least 1m');
  if (sinceMs > maxHours * HOUR_MS) {
    throw invalid(`invalid since: at most ${maxHours}h (how long per-minute counts are kept)`);
  }
  const scope = diagnosticsScope(org, project, ctx.clock.now(), sinceMs - (sinceMs % MINUTE_MS));
  const scopes = effectiveScopes(principal);
  const mayReadIncidents = scopes.has('incident:read');
  const mayReadRunbooks = RUNBOOK_READ.some((s) => scopes.has(s));
  const issues = await summarizeIssues(ctx, scope, query.limit);
  const omitted = [
    ...(mayReadIncidents ? [] : ['openIncidents (needs incident:read)']),
    ...(mayReadRunbooks ? [] : ['runbooks (needs incident:read or project:read)']),
  ];
  return {
    scope,
    issues,
    frames: await topFrames(ctx, issues.top),
    users: await affectedUsers(ctx, scope),
    changes: await recentChanges(ctx, scope),
    openIncidents: mayReadIncidents ? await openIncidentsOf(ctx, scope) : null,
    runbooks: mayReadRunbooks ? await runbooksFor(ctx, scope, issues.top) : null,
    omitted,
  };
}
