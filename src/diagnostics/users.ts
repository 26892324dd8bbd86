import type { AppContext } from '../context.ts';
import { countsBy, type DiagnosticsScope, windowQuery } from './scope.ts';

const TOP_USERS = 5;

export interface AffectedUsers {
  /** Distinct users (id, else email, username, IP) among the window's stored events. */
  distinct: number;
  /** Stored events without any user identity. */
  eventsWithoutUser: number;
  /** The users with the most events (Sentry's user.display: email, username, id, IP). */
  top: { user: string; events: number }[];
}

export async function affectedUsers(ctx: AppContext, scope: DiagnosticsScope): Promise<AffectedUsers> {
  const [distinct, anonymous, top] = await Promise.all([
    ctx.store.events.discover(
      windowQuery(scope, {
        select: [{ aggregate: { fn: 'count_unique', attr: { column: 'user' } } }],
        orderBy: [],
        limit: 1,
      }),
    ),
    ctx.store.events.discover(
      windowQuery(scope, {
        select: [{ aggregate: { fn: 'count' } }],
        orderBy: [],
        limit: 1,
        filters: [{ kind: 'has', attr: { column: 'user' }, negated: true }],
      }),
    ),
    countsBy(ctx, scope, { attr: { column: 'user.display' } }, TOP_USERS),
  ]);
  return {
    distinct: Number(distinct.rows[0]?.[0] ?? 0),
    eventsWithoutUser: Number(anonymous.rows[0]?.[0] ?? 0),
    top: top.map((row) => ({ user: row.value, events: row.count })),
  };
}
