import type { FastifyRequest } from 'fastify';
import { authenticateBearer, type Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';

/** Each Web API route calls this first; nothing under /api/0/ answers without a token. */
export function principalOf(ctx: AppContext, request: FastifyRequest): Promise<Principal> {
  return authenticateBearer(ctx, request.headers.authorization);
}
