import type pg from 'pg';
import { AppError } from '../../app-error.ts';
import type { Store } from '../types.ts';
import { one, rows } from './pool.ts';
import { toApiToken, toOrg, toProject, toProjectKey, toUser } from './rows.ts';

const UNIQUE_VIOLATION = '23505';

async function insertOrConflict<T>(what: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new AppError('CONFLICT', `${what} already exists`, { cause: error });
    }
    throw error;
  }
}

const orNull =
  <T>(map: (row: Record<string, unknown>) => T) =>
  (row: Record<string, unknown> | undefined) =>
    row ? map(row) : null;

export function createAccounts(
  pool: pg.Pool,
): Pick<Store, 'orgs' | 'projects' | 'keys' | 'users' | 'tokens'> {
  return {
    orgs: {
      create: ({ slug, name, now }) =>
        insertOrConflict('organization', async () =>
          toOrg(
            (await one(pool, 'INSERT INTO orgs (slug, name, created_at) VALUES ($1, $2, $3) RETURNING *', [
              slug,
              name,
              now,
            ]))!,
          ),
        ),
      getBySlug: async (slug) => orNull(toOrg)(await one(pool, 'SELECT * FROM orgs WHERE slug = $1', [slug])),
      getById: async (id) => orNull(toOrg)(await one(pool, 'SELECT * FROM orgs WHERE id = $1', [id])),
      list: async () => (await rows(pool, 'SELECT * FROM orgs ORDER BY id')).map(toOrg),
    },
    projects: {
      create: ({ orgId, slug, name, platform, now }) =>
        insertOrConflict('project', async () =>
          toProject(
            (await one(
              pool,
              'INSERT INTO projects (org_id, slug, name, platform, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
              [orgId, slug, name, platform, now],
            ))!,
          ),
        ),
      getById: async (id) => orNull(toProject)(await one(pool, 'SELECT * FROM projects WHERE id = $1', [id])),
      getBySlug: async (orgId, slug) =>
        orNull(toProject)(
          await one(pool, 'SELECT * FROM projects WHERE org_id = $1 AND slug = $2', [orgId, slug]),
        ),
      listByOrg: async (orgId) =>
        (await rows(pool, 'SELECT * FROM projects WHERE org_id = $1 ORDER BY slug', [orgId])).map(toProject),
      listAll: async () => (await rows(pool, 'SELECT * FROM projects ORDER BY id')).map(toProject),
      update: async (id, patch) =>
        orNull(toProject)(
          await one(
            pool,
            `UPDATE projects SET
               name = COALESCE($2, name),
               platform = CASE WHEN $3 THEN $4 ELSE platform END,
               event_max_age_days = COALESCE($5, event_max_age_days),
               events_per_issue = COALESCE($6, events_per_issue)
             WHERE id = $1 RETURNING *`,
            [
              id,
              patch.name ?? null,
              patch.platform !== undefined,
              patch.platform ?? null,
              patch.eventMaxAgeDays ?? null,
              patch.eventsPerIssue ?? null,
            ],
          ),
        ),
    },
    keys: {
      create: ({ projectId, label, publicKey, secretKey, now }) =>
        insertOrConflict('project key', async () =>
          toProjectKey(
            (await one(
              pool,
              `INSERT INTO project_keys (project_id, label, public_key, secret_key, created_at)
               VALUES ($1, $2, $3, $4, $5) RETURNING *`,
              [projectId, label, publicKey, secretKey, now],
            ))!,
          ),
        ),
      getByPublicKey: async (publicKey) =>
        orNull(toProjectKey)(
          await one(pool, 'SELECT * FROM project_keys WHERE public_key = $1', [publicKey]),
        ),
      listByProject: async (projectId) =>
        (await rows(pool, 'SELECT * FROM project_keys WHERE project_id = $1 ORDER BY id', [projectId])).map(
          toProjectKey,
        ),
      update: async (id, patch) =>
        orNull(toProjectKey)(
          await one(
            pool,
            `UPDATE project_keys SET
               label = COALESCE($2, label),
               is_active = COALESCE($3, is_active),
               rate_limit_count = CASE WHEN $4 THEN $5 ELSE rate_limit_count END,
               rate_limit_window_seconds = CASE WHEN $6 THEN $7 ELSE rate_limit_window_seconds END
             WHERE id = $1 RETURNING *`,
            [
              id,
              patch.label ?? null,
              patch.isActive ?? null,
              patch.rateLimitCount !== undefined,
              patch.rateLimitCount ?? null,
              patch.rateLimitWindowSeconds !== undefined,
              patch.rateLimitWindowSeconds ?? null,
            ],
          ),
        ),
    },
    users: {
      create: ({ email, name, passwordHash, now }) =>
        insertOrConflict('user', async () =>
          toUser(
            (await one(
              pool,
              'INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
              [email, name, passwordHash, now],
            ))!,
          ),
        ),
      getByEmail: async (email) =>
        orNull(toUser)(await one(pool, 'SELECT * FROM users WHERE email = $1', [email])),
      getById: async (id) => orNull(toUser)(await one(pool, 'SELECT * FROM users WHERE id = $1', [id])),
    },
    tokens: {
      create: (input) =>
        insertOrConflict('token', async () =>
          toApiToken(
            (await one(
              pool,
              `INSERT INTO api_tokens (kind, org_id, user_id, name, scopes, token_hash, token_prefix, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
              [
                input.kind,
                input.orgId,
                input.userId,
                input.name,
                input.scopes,
                input.tokenHash,
                input.tokenPrefix,
                input.createdAt,
              ],
            ))!,
          ),
        ),
      getByHash: async (tokenHash) =>
        orNull(toApiToken)(
          await one(pool, 'SELECT * FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [
            tokenHash,
          ]),
        ),
      touch: async (id, now) => {
        await pool.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, now]);
      },
      revoke: async (id, now) =>
        (
          await pool.query('UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
            id,
            now,
          ])
        ).rowCount === 1,
    },
  };
}
