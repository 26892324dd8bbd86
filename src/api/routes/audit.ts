import type { FastifyInstance } from 'fastify';
import { listAuditLog } from '../../audit/list-audit-log.ts';
import type { AppContext } from '../../context.ts';
import { principalOf } from '../authenticate.ts';
import { setLinkHeader } from '../pagination.ts';
import { AUDIT_EVENTS, serializeAuditRow } from '../serialize/audit.ts';

type Query = Record<string, string | undefined>;

export async function auditRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.get('/api/0/organizations/:org/audit-logs/', async (request, reply) => {
    const principal = await principalOf(ctx, request);
    const query = request.query as Query;
    const { rows, nextCursor } = await listAuditLog(ctx, principal, {
      ...query,
      ...(request.params as { org: string }),
    });
    setLinkHeader(request, reply, ctx.publicUrl(), { cursor: query.cursor, nextCursor });
    return { rows: rows.map(serializeAuditRow), options: AUDIT_EVENTS };
  });
}
