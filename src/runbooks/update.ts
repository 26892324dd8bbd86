import { invalid, notFound } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { parseInput } from '../validation.ts';
import { loadRunbook, resolveProjectRefs } from './access.ts';
import { formatTag, RUNBOOK_WRITE, UpdateRunbookInput } from './schemas.ts';
import { type RunbookView, viewRunbooks } from './view.ts';

/** PUT /organizations/{org}/runbooks/{id}/ — changes the fields given; lists replace the old ones. */
export async function updateRunbook(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; id: string },
  body: unknown,
): Promise<RunbookView> {
  const { org, runbook } = await loadRunbook(ctx, principal, params, RUNBOOK_WRITE);
  const input = parseInput(UpdateRunbookInput, body, 'runbook');
  const projectIds = input.projects
    ? (await resolveProjectRefs(ctx, org, input.projects)).map((p) => p.id)
    : runbook.projectIds;
  const tags = input.tags ?? runbook.tags;
  if (projectIds.length === 0 && tags.length === 0) {
    throw invalid('a runbook is attached to at least one project or tag');
  }
  const now = ctx.clock.now();
  const updated = await ctx.store.runbooks.update(
    org.id,
    runbook.id,
    {
      title: input.title ?? runbook.title,
      body: input.body ?? runbook.body,
      projectIds,
      tags,
      actor: principal.actor,
      now,
    },
    auditEntry(
      { orgId: org.id, actor: principal.actor, now },
      'runbook.edit',
      { type: 'runbook', id: runbook.id },
      {
        changed: Object.keys(input),
        tags: tags.map(formatTag),
      },
    ),
  );
  if (!updated) throw notFound('runbook');
  return (await viewRunbooks(ctx, org.id, [updated]))[0];
}
