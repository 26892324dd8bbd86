import type { AccountsStore } from '../types-accounts.ts';
import { createProjectsAndKeys } from './accounts-projects.ts';
import { nullable, type Row, writer } from './accounts-rows.ts';
import { createTeamsAndMembers } from './accounts-teams.ts';
import { insertAudit } from './audit.ts';
import type { SqliteHandles } from './connection.ts';
import { toApiToken, toOrg, toUser } from './rows.ts';

export function createAccounts(h: SqliteHandles): AccountsStore {
  const write = writer(h);
  const read = h.reader;
  return {
    ...createProjectsAndKeys(h),
    ...createTeamsAndMembers(h),
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
      listForUser: async (userId) =>
        read
          .all<Row>(
            'SELECT o.* FROM orgs o JOIN org_members m ON m.org_id = o.id WHERE m.user_id = ? ORDER BY o.slug',
            userId,
          )
          .map(toOrg),
    },
    users: {
      create: ({ email, name, passwordHash, now, membership }) =>
        write(
          'user',
          () => {
            const user = toUser(
              h.writer.get<Row>(
                'INSERT INTO users (email, name, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING *',
                email,
                name,
                passwordHash,
                now,
              )!,
            );
            if (membership) {
              h.writer.run(
                'INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?)',
                membership.orgId,
                user.id,
                membership.role,
                now,
              );
            }
            return user;
          },
          { transaction: true },
        ),
      getByEmail: async (email) =>
        // Emails are compared without case (users are created lower-cased); an exact match first.
        nullable(
          read.get<Row>(
            'SELECT * FROM users WHERE lower(email) = lower(?1) ORDER BY email = ?1 DESC, id LIMIT 1',
            email,
          ),
          toUser,
        ),
      getById: async (id) => nullable(read.get<Row>('SELECT * FROM users WHERE id = ?', id), toUser),
    },
    tokens: {
      create: (input, audit) =>
        write(
          'token',
          () => {
            const token = toApiToken(
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
            );
            insertAudit(h.writer, audit, token.id);
            return token;
          },
          { transaction: true },
        ),
      getByHash: async (tokenHash) =>
        nullable(
          read.get<Row>('SELECT * FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL', tokenHash),
          toApiToken,
        ),
      getById: async (id) => nullable(read.get<Row>('SELECT * FROM api_tokens WHERE id = ?', id), toApiToken),
      list: async ({ orgId, userId }) =>
        read
          .all<Row>(
            `SELECT * FROM api_tokens WHERE revoked_at IS NULL
               AND (? IS NULL OR org_id = ?) AND (? IS NULL OR user_id = ?) ORDER BY id`,
            orgId ?? null,
            orgId ?? null,
            userId ?? null,
            userId ?? null,
          )
          .map(toApiToken),
      touch: (id, now) =>
        write('token', () => {
          h.writer.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', now, id);
        }),
      revoke: (id, now, audit) =>
        write(
          'token',
          () => {
            const revoked =
              h.writer.run(
                'UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
                now,
                id,
              ) === 1;
            if (revoked) insertAudit(h.writer, audit);
            return revoked;
          },
          { transaction: true },
        ),
    },
  };
}
