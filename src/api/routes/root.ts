import type { FastifyInstance } from 'fastify';
import { authenticateOptionalBearer } from '../../auth/principal.ts';
import type { AppContext } from '../../context.ts';
import { whoami } from '../../users/whoami.ts';
import { principalOf } from '../authenticate.ts';
import { serializeUser } from '../serialize/user.ts';

export async function rootRoutes(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;

  /** Answers once migrations ran and the committer takes events (load balancers poll this). */
  app.get('/_health/', async () => ({ ok: true }));

  /**
   * sentry-cli `info` reads `user` and `auth.scopes` (reference/sentry-clients.md §3); `user` is
   * null for a token without a user, which sentry-cli shows as an organisation token. Sentry
   * answers this index without credentials too, with both null (reference §5.3).
   */
  app.get('/api/0/', async (request) => {
    const principal = await authenticateOptionalBearer(ctx, request.headers.authorization);
    if (!principal) return { version: '0', user: null, auth: null };
    const who = await whoami(ctx, principal);
    return {
      version: '0',
      user: 'user' in who ? serializeUser(who.user) : null,
      auth: { scopes: [...principal.tokenScopes] },
    };
  });

  /**
   * The MCP server's `whoami` reads `{id, name, email}`. A token without a user answers for
   * itself (`id` "token:N"), so agents holding a CI or setup token still get an answer.
   */
  app.get('/api/0/auth/', async (request) => {
    const principal = await principalOf(ctx, request);
    const who = await whoami(ctx, principal);
    if ('user' in who) return serializeUser(who.user);
    return { id: `token:${who.token.id}`, name: who.token.name, username: who.token.name, email: '' };
  });

  /** sentry-cli `organizations list` asks first; an empty list means "this server, no regions". */
  app.get('/api/0/users/me/regions/', async (request) => {
    await principalOf(ctx, request);
    return { regions: [] };
  });
}
