import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { principalOf } from '../authenticate.ts';

export async function rootRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  /** Answers once migrations ran and the committer takes events (load balancers poll this). */
  app.get('/_health/', async () => ({ ok: true }));

  /** sentry-cli `info` reads `user` and `auth.scopes` (reference/sentry-clients.md §3). */
  app.get('/api/0/', async (request) => {
    const principal = await principalOf(ctx, request);
    const user = principal.userId ? await ctx.store.users.getById(principal.userId) : null;
    return {
      version: '0',
      user: user ? { id: String(user.id), email: user.email, name: user.name } : null,
      auth: { scopes: [...principal.scopes] },
    };
  });
}
