import { notFound } from '../app-error.ts';
import type { ApiToken, Store } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { ListTokensInput } from './schemas.ts';

/** Active tokens of an organisation and/or a user (everything when neither is given). */
export async function listTokens(deps: { store: Store }, input: unknown): Promise<ApiToken[]> {
  const data = parseInput(ListTokensInput, input);
  const org = data.org ? await deps.store.orgs.getBySlug(data.org) : null;
  if (data.org && !org) throw notFound(`organization ${data.org}`);
  const user = data.user ? await deps.store.users.getByEmail(data.user) : null;
  if (data.user && !user) throw notFound(`user ${data.user}`);
  return deps.store.tokens.list({ orgId: org?.id, userId: user?.id });
}
