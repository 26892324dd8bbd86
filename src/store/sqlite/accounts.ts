import { AppError } from '../../app-error.ts';
import type { Store } from '../types.ts';
import type { SqliteHandles } from './connection.ts';
import { toApiToken, toOrg, toProject, toProjectKey, toUser } from './rows.ts';

type Row = Record<string, unknown>;

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

/** Runs a write under the write lock, turning a unique violation into a CONFLICT. */
function writer(h: SqliteHandles) {
  return async <T>(what: string, fn: () => T): Promise<T> =>
    h.writeLock.run(() => {
      try {
        return fn();
      } catch (error) {
        const code = (error as { errcode?: number }).errcode;
        if (code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY) {
          throw new AppError('CONFLICT', `${what} already exists`, { cause: error });
        }
        throw error;
      }
    });
}

export function createAccounts(
  h: SqliteHandles,
): Pick<Store, 'orgs' | 'projects' | 'keys' | 'users' | 'tokens'> {
  const write = writer(h);
  const read = h.reader;
  return {
    orgs: {
      create: ({ slug, name, now }) =>
        write('organization', () =>
          toOrg(
            h.writer.get<Row>(
              'INSERT INTO orgs (slug, name, created_at) VALUES (?, ?, ?) RETURNING *',
              slug,
              name,
              now,
            )!,
          ),
        ),
      getBySlug: async (slug) => nullable(read.get<Row>('SELECT * FROM orgs WHERE slug = ?', slug), toOrg),
      getById: async (id) => nullable(read.get<Row>('SELECT * FROM orgs WHERE id = ?', id), toOrg),
      list: async () => read.all<Row>('SELECT * FROM orgs ORDER BY id').map(toOrg),
    },
    projects: {
      create: ({ orgId, slug, name, platform, now }) =>
        write('project', () =>
          toProject(
            h.writer.get<Row>(
              'INSERT INTO projects (org_id, slug, name, platform, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
              orgId,
              slug,
              name,
              platform,
              now,
            )!,
          ),
        ),
      getById: async (id) => nullable(read.get<Row>('SELECT * FROM projects WHERE id = ?', id), toProject),
      getBySlug: async (orgId, slug) =>
        nullable(
          read.get<Row>('SELECT * FROM projects WHERE org_id = ? AND slug = ?', orgId, slug),
          toProject,
        ),
      listByOrg: async (orgId) =>
        read.all<Row>('SELECT * FROM projects WHERE org_id = ? ORDER BY slug', orgId).map(toProject),
      listAll: async () => read.all<Row>('SELECT * FROM projects ORDER BY id').map(toProject),
      update: (id, patch) =>
        write('project', () => {
          const current = h.writer.get<Row>('SELECT * FROM projects WHERE id = ?', id);
          if (!current) return null;
          const next = { ...toProject(current), ...definedOnly(patch) };
          const row = h.writer.get<Row>(
            `UPDATE projects SET name = ?, platform = ?, event_max_age_days = ?, events_per_issue = ?
             WHERE id = ? RETURNING *`,
            next.name,
            next.platform,
            next.eventMaxAgeDays,
            next.eventsPerIssue,
            id,
          );
          return nullable(row, toProject);
        }),
    },
    keys: {
      create: ({ projectId, label, publicKey, secretKey, now }) =>
        write('project key', () =>
          toProjectKey(
            h.writer.get<Row>(
              `INSERT INTO project_keys (project_id, label, public_key, secret_key, created_at)
               VALUES (?, ?, ?, ?, ?) RETURNING *`,
              projectId,
              label,
              publicKey,
              secretKey,
              now,
            )!,
          ),
        ),
      getByPublicKey: async (publicKey) =>
        nullable(read.get<Row>('SELECT * FROM project_keys WHERE public_key = ?', publicKey), toProjectKey),
      listByProject: async (projectId) =>
        read
          .all<Row>('SELECT * FROM project_keys WHERE project_id = ? ORDER BY id', projectId)
          .map(toProjectKey),
      update: (id, patch) =>
        write('project key', () => {
          const current = h.writer.get<Row>('SELECT * FROM project_keys WHERE id = ?', id);
          if (!current) return null;
          const next = { ...toProjectKey(current), ...definedOnly(patch) };
          const row = h.writer.get<Row>(
            `UPDATE project_keys SET label = ?, is_active = ?, rate_limit_count = ?, rate_limit_window_seconds = ?
             WHERE id = ? RETURNING *`,
            next.label,
            next.isActive ? 1 : 0,
            next.rateLimitCount,
            next.rateLimitWindowSeconds,
            id,
          );
          return nullable(row, toProjectKey);
        }),
    },
    users: {
      create: ({ email, name, passwordHash, now }) =>
        write('user', () =>
          toUser(
            h.writer.get<Row>(
              'INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING *',
              email,
              name,
              passwordHash,
              now,
            )!,
          ),
        ),
      getByEmail: async (email) =>
        nullable(read.get<Row>('SELECT * FROM users WHERE email = ?', email), toUser),
      getById: async (id) => nullable(read.get<Row>('SELECT * FROM users WHERE id = ?', id), toUser),
    },
    tokens: {
      create: (input) =>
        write('token', () =>
          toApiToken(
            h.writer.get<Row>(
              `INSERT INTO api_tokens (kind, org_id, user_id, name, scopes, token_hash, token_prefix, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
              input.kind,
              input.orgId,
              input.userId,
              input.name,
              JSON.stringify(input.scopes),
              input.tokenHash,
              input.tokenPrefix,
              input.createdAt,
            )!,
          ),
        ),
      getByHash: async (tokenHash) =>
        nullable(
          read.get<Row>('SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL', tokenHash),
          toApiToken,
        ),
      touch: (id, now) =>
        write('token', () => {
          h.writer.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', now, id);
        }),
      revoke: (id, now) =>
        write(
          'token',
          () =>
            h.writer.run(
              'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
              now,
              id,
            ) === 1,
        ),
    },
  };
}

function nullable<T>(row: Row | undefined, map: (row: Row) => T): T | null {
  return row ? map(row) : null;
}

/** Drops keys whose value is undefined, so a patch only changes what it names. */
function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
