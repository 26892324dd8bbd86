import { z } from 'zod';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { isFirstPageCursor } from '../offset-cursor.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { Org } from '../store/types.ts';
import type { AuditRow } from '../store/types-audit.ts';
import { parseInput } from '../validation.ts';

export const ListAuditLogInput = z.object({
  /** Keyset cursor: the id of the last row of the previous page, as Sentry's `value:offset:is_prev`. */
  cursor: z
    .string()
    .regex(/^\d{1,15}:0:0$|^0:0:1$/, 'invalid cursor')
    .optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(100),
});
export type ListAuditLogInput = z.infer<typeof ListAuditLogInput>;

export interface AuditView extends AuditRow {
  /** The actor's display name: the user's name or email, else the actor string (`token:3`, `system`). */
  actorName: string;
}

/** GET /organizations/{org}/audit-logs/ — newest first; org:write as in Sentry. */
export async function listAuditLog(
  ctx: AppContext,
  principal: Principal,
  input: { org: string } & Record<string, unknown>,
): Promise<{ org: Org; rows: AuditView[]; nextCursor: string | null }> {
  requireScope(principal, 'org:write', 'org:admin');
  const params = parseInput(ListAuditLogInput, input);
  const org = await resolveOrg(ctx, principal, input.org);
  const cursor =
    params.cursor && !isFirstPageCursor(params.cursor) ? Number(params.cursor.split(':')[0]) : undefined;
  const rows = await ctx.store.audit.list(org.id, { limit: params.per_page + 1, cursor });
  const page = rows.slice(0, params.per_page);
  const names = new Map<string, string>();
  for (const row of page) {
    const userId = /^user:(\d+)$/.exec(row.actor)?.[1];
    if (!userId || names.has(row.actor)) continue;
    const user = await ctx.store.users.getById(Number(userId));
    if (user) names.set(row.actor, user.name || user.email);
  }
  return {
    org,
    rows: page.map((row) => ({ ...row, actorName: names.get(row.actor) ?? row.actor })),
    nextCursor: rows.length > params.per_page ? `${page[page.length - 1].id}:0:0` : null,
  };
}
