import { notFound } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveProject } from '../orgs/resolve.ts';
import type { Org, Project, ProjectKey } from '../store/types.ts';

/** A key named in a URL by its public key (Sentry's key id), within the project. */
export async function resolveKey(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string; keyId: string },
): Promise<{ org: Org; project: Project; key: ProjectKey }> {
  const { org, project } = await resolveProject(ctx, principal, input.org, input.project);
  const key = /^\w{1,64}$/.test(input.keyId) ? await ctx.store.keys.getByPublicKey(input.keyId) : null;
  if (!key || key.projectId !== project.id) throw notFound('key');
  return { org, project, key };
}
