import { invalid, notFound } from '../app-error.ts';
import { auditEntry, changedFields } from '../audit/audit-entry.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { RunbookTag } from '../store/types-runbooks.ts';
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
  const content = {
    title: input.title ?? runbook.title,
    body: input.body ?? runbook.body,
    projectIds,
    tags,
  };
  const changed = changedFields(inOrder(runbook), inOrder(content));
  if (changed.length === 0) return (await viewRunbooks(ctx, org.id, [runbook]))[0];
  const now = ctx.clock.now();
  const updated = await ctx.store.runbooks.update(
    org.id,
    runbook.id,
    { ...content, actor: principal.actor, now },
    auditEntry(
      { orgId: org.id, actor: principal.actor, now },
      'runbook.edit',
      { type: 'runbook', id: runbook.id },
      {
        changed,
        tags: tags.map(formatTag),
      },
    ),
  );
  if (!updated) throw notFound('runbook');
  return (await viewRunbooks(ctx, org.id, [updated]))[0];
}

/** Lists in one fixed order, so a list given in another order compares equal to the stored one. */
function inOrder<T extends { projectIds: number[]; tags: RunbookTag[] }>(content: T): T {
  const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    ...content,
    projectIds: [...content.projectIds].sort((a, b) => a - b),
    tags: [...content.tags].sort((a, b) => byCodeUnits(a.key, b.key) || byCodeUnits(a.value, b.value)),
  };
}
