import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';

/** Placeholder until these routes land. */
export async function alertRoutes(_app: FastifyInstance, _opts: { ctx: AppContext }): Promise<void> {}
