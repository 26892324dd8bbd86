import { notFound } from '../app-error.ts';
import { auditEntry } from '../audit/audit-entry.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { loadRunbook } from './access.ts';
import { RUNBOOK_WRITE } from './schemas.ts';

/** DELETE /organizations/{org}/runbooks/{id}/ — timeline entries that suggested it keep their text. */
export async function deleteRunbook(
  ctx: AppContext,
  principal: Principal,
  params: { org: string; id: string },
): Promise<void> {
  const { org, runbook } = await loadRunbook(ctx, principal, params, RUNBOOK_WRITE);
  const now = ctx.clock.now();
  const deleted = await ctx.store.runbooks.delete(
    org.id,
    runbook.id,
    auditEntry(
      { orgId: org.id, actor: principal.actor, now },
      'runbook.remove',
      { type: 'runbook', id: runbook.id },
      {
        title: runbook.title,
      },
    ),
  );
  if (!deleted) throw notFound('runbook');
}
