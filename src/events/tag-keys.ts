import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { parseInput } from '../validation.ts';
import { selectProjects } from './projects.ts';
import { TagKeysInput } from './schemas.ts';
import { periodMs } from './time-range.ts';

/** `GET /organizations/{org}/tags/`: tag keys of the selected projects' issues, with counts. */
export async function listTagKeys(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
) {
  // Sentry guards organisation tags with org:read; the MCP server's tools hold event:read.
  requireScope(principal, 'org:read', 'event:read', 'event:write', 'event:admin');
  const parsed = parseInput(TagKeysInput, input);
  const org = await resolveOrg(ctx, principal, input.org);
  const { selected } = await selectProjects(ctx, org, parsed.project);
  const keys = await ctx.store.events.tagKeys({
    orgId: org.id,
    projectIds: selected.map((p) => p.id),
    since: parsed.statsPeriod ? ctx.clock.now() - periodMs(parsed.statsPeriod) : undefined,
  });
  return keys.map((k) => ({
    key: k.key,
    name: k.key,
    totalValues: k.totalValues,
    uniqueValues: k.uniqueValues,
  }));
}
