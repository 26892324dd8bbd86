import { AppError } from '../app-error.ts';
import { createToken } from '../auth/create-token.ts';
import { ALL_SCOPES } from '../auth/scopes.ts';
import { newKeyMaterial } from '../keys/key-material.ts';
import type { Store } from '../store/types.ts';
import { parseInput } from '../validation.ts';
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
 * Idempotent bootstrap: the organisation, and the project with its first DSN key, are created
 * when missing; a new API token with every scope, bound to the organisation, is minted on every
 * call. Concurrent setups of the same slugs all succeed with the same project and DSN.
 */
export async function setupProject(
  deps: { store: Store; now: number; publicUrl: string },
  input: unknown,
): Promise<SetupResult> {
  const data = parseInput(SetupInput, input);
  const { store, now } = deps;
  const org = await findOrCreate(
    () => store.orgs.getBySlug(data.org),
    () => store.orgs.create({ slug: data.org, name: data.org, now }),
  );
  const project = await findOrCreate(
    () => store.projects.getBySlug(org.value.id, data.project),
    async () => {
      const made = await store.projects.createWithKey({
        orgId: org.value.id,
        slug: data.project,
        name: data.project,
        platform: data.platform,
        now,
        key: newKeyMaterial('Default'),
      });
      return made.project;
    },
  );
  // A new project came with its key; an older one whose keys were all disabled gets a new one.
  const existingKey = (await store.keys.listByProject(project.value.id)).find((k) => k.isActive);
  const key =
    existingKey ??
    (await store.keys.create({ projectId: project.value.id, now, ...newKeyMaterial('Default') }));
  const { token } = await createToken(deps, {
    org: org.value.slug,
    scopes: ALL_SCOPES.join(','),
    name: `setup ${org.value.slug}/${project.value.slug}`.slice(0, 100),
  });
  return {
    org: org.value.slug,
    project: project.value.slug,
    projectId: String(project.value.id),
    dsn: dsnOf(deps.publicUrl, key.publicKey, project.value.id),
    token,
    created: { org: org.created, project: project.created, key: project.created || !existingKey },
  };
}

/** A unique slug decides a race between concurrent setups: the loser reads what the winner made. */
async function findOrCreate<T>(
  find: () => Promise<T | null>,
  create: () => Promise<T>,
): Promise<{ value: T; created: boolean }> {
  const found = await find();
  if (found) return { value: found, created: false };
  try {
    return { value: await create(), created: true };
  } catch (error) {
    const winner = error instanceof AppError && error.code === 'CONFLICT' ? await find() : null;
    if (!winner) throw error;
    return { value: winner, created: false };
  }
}
