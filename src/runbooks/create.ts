import { invalid } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { parseInput } from '../validation.ts';
import { resolveProjectRefs } from './access.ts';
import { CreateRunbookInput, formatTag, RUNBOOK_WRITE } from './schemas.ts';
import { type RunbookView, viewRunbooks } from './view.ts';

/** POST /organizations/{org}/runbooks/ — Markdown attached to projects and/or tag values. */
export async function createRunbook(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  body: unknown,
): Promise<RunbookView> {
  requireScope(principal, ...RUNBOOK_WRITE);
  const org = await resolveOrg(ctx, principal, orgSlug);
  const input = parseInput(CreateRunbookInput, body, 'runbook');
  if (input.projects.length === 0 && input.tags.length === 0) {
    throw invalid('a runbook is attached to at least one project or tag (e.g. "tags": ["service:api"])');
  }
  const projects = await resolveProjectRefs(ctx, org, input.projects);
  const now = ctx.clock.now();
  const runbook = await ctx.store.runbooks.create(
    {
      orgId: org.id,
      title: input.title,
      body: input.body,
      projectIds: projects.map((p) => p.id),
      tags: input.tags,
      actor: principal.actor,
      now,
    },
    auditEntry(
      { orgId: org.id, actor: principal.actor, now },
      'runbook.create',
      { type: 'runbook' },
      {
        title: input.title,
        projects: projects.map((p) => p.slug),
        tags: input.tags.map(formatTag),
      },
    ),
  );
  return (await viewRunbooks(ctx, org.id, [runbook]))[0];
}
