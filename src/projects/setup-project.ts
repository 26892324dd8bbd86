import { randomUUID } from 'node:crypto';
import { invalid } from '../app-error.ts';
import { ALL_SCOPES } from '../auth/scopes.ts';
import { generateUserToken, hashToken, tokenPrefix } from '../auth/tokens.ts';
import type { Store } from '../store/types.ts';
import { dsnOf } from './dsn.ts';
import { SetupInput } from './schemas.ts';

export interface SetupResult {
  org: string;
  project: string;
  projectId: string;
  dsn: string;
  /** Shown once; only its hash is stored. */
  token: string;
  created: { org: boolean; project: boolean; key: boolean };
}

/**
 * Idempotent bootstrap: the organisation, project and a DSN key are created when missing;
 * a new API token with every scope, bound to the organisation, is minted on every call.
 */
export async function setupProject(
  deps: { store: Store; now: number; publicUrl: string },
  input: unknown,
): Promise<SetupResult> {
  const parsed = SetupInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(`invalid ${issue.path.join('.')}: ${issue.message}`);
  }
  const { store, now } = deps;
  const { org: orgSlug, project: projectSlug, platform } = parsed.data;
  let org = await store.orgs.getBySlug(orgSlug);
  const createdOrg = !org;
  org ??= await store.orgs.create({ slug: orgSlug, name: orgSlug, now });
  let project = await store.projects.getBySlug(org.id, projectSlug);
  const createdProject = !project;
  project ??= await store.projects.create({
    orgId: org.id,
    slug: projectSlug,
    name: projectSlug,
    platform,
    now,
  });
  let key = (await store.keys.listByProject(project.id)).find((k) => k.isActive);
  const createdKey = !key;
  key ??= await store.keys.create({
    projectId: project.id,
    label: 'Default',
    publicKey: randomUUID().replaceAll('-', ''),
    secretKey: randomUUID().replaceAll('-', ''),
    now,
  });
  const token = generateUserToken();
  await store.tokens.create({
    kind: 'user',
    orgId: org.id,
    userId: null,
    name: `setup ${orgSlug}/${projectSlug}`,
    scopes: [...ALL_SCOPES],
    tokenHash: hashToken(token),
    tokenPrefix: tokenPrefix(token),
    createdAt: now,
  });
  return {
    org: org.slug,
    project: project.slug,
    projectId: String(project.id),
    dsn: dsnOf(deps.publicUrl, key.publicKey, project.id),
    token,
    created: { org: createdOrg, project: createdProject, key: createdKey },
  };
}
