import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveProject } from '../orgs/resolve.ts';

const DAY = 86_400_000;

/**
 * What ingest did with a project's envelope items, per item type: `processed` (grouped and
 * stored), `accepted` (taken so the SDK does not retry, not processed: sessions, transactions,
 * client reports, attachments, unknown types…), `invalid` (session items with nothing usable:
 * no release, no sid, a bad or too old start), `rate_limited`. Counted per UTC day.
 */
export async function getIngestOutcomes(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; days?: string },
) {
  requireScope(principal, 'project:read', 'project:write', 'project:admin');
  const days = input.days === undefined ? 30 : Number(input.days);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    throw invalid('days must be an integer from 1 to 365');
  const { project } = await resolveProject(ctx, principal, input.org, input.project);
  const now = ctx.clock.now();
  const since = now - (now % DAY) - (days - 1) * DAY;
  return { since, totals: await ctx.store.outcomes.totals(project.id, since) };
}
