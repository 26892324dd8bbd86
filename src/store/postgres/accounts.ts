import type pg from 'pg';
import type { AccountsStore } from '../types-accounts.ts';
import { createProjectsAndKeys } from './accounts-projects.ts';
import { conflictAs, orNull, transaction } from './accounts-rows.ts';
import { createTeamsAndMembers } from './accounts-teams.ts';
import { insertAudit } from './audit.ts';
import { one, rows } from './pool.ts';
import { toApiToken, toOrg, toUser } from './rows.ts';

export function createAccounts(pool: pg.Pool): AccountsStore {
  return {
    ...createProjectsAndKeys(pool),
    ...createTeamsAndMembers(pool),
    orgs: {
      create: ({ slug, name, now }) =>
        conflictAs('organization', async () =>
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
      listForUser: async (userId) =>
        (
          await rows(
            pool,
            'SELECT o.* FROM orgs o JOIN org_members m ON m.org_id = o.id WHERE m.user_id = $1 ORDER BY o.slug COLLATE "C"',
            [userId],
          )
        ).map(toOrg),
    },
    users: {
      create: ({ email, name, passwordHash, now, membership }) =>
        transaction(pool, 'user', async (db) => {
          const user = toUser(
            (await one(
              db,
              'INSERT INTO users (email, name, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
              [email, name, passwordHash, now],
            ))!,
          );
          if (membership) {
            await db.query(
              'INSERT INTO org_members (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)',
              [membership.orgId, user.id, membership.role, now],
            );
          }
          return user;
        }),
      getByEmail: async (email) =>
        // Emails are compared without case (users are created lower-cased); an exact match first.
        orNull(toUser)(
          await one(
            pool,
            'SELECT * FROM users WHERE lower(email) = lower($1) ORDER BY email = $1 DESC, id LIMIT 1',
            [email],
          ),
        ),
      getById: async (id) => orNull(toUser)(await one(pool, 'SELECT * FROM users WHERE id = $1', [id])),
    },
    tokens: {
      create: (input, audit) =>
        transaction(pool, 'token', async (db) => {
          const token = toApiToken(
            (await one(
              db,
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
          );
          await insertAudit(db, audit, token.id);
          return token;
        }),
      getByHash: async (tokenHash) =>
        orNull(toApiToken)(
          await one(pool, 'SELECT * FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL', [
            tokenHash,
          ]),
        ),
      getById: async (id) =>
        orNull(toApiToken)(await one(pool, 'SELECT * FROM api_tokens WHERE id = $1', [id])),
      list: async ({ orgId, userId }) =>
        (
          await rows(
            pool,
            `SELECT * FROM api_tokens WHERE revoked_at IS NULL
               AND ($1::bigint IS NULL OR org_id = $1) AND ($2::bigint IS NULL OR user_id = $2) ORDER BY id`,
            [orgId ?? null, userId ?? null],
          )
        ).map(toApiToken),
      touch: async (id, now) => {
        await pool.query('UPDATE api_tokens SET last_used_at = $2 WHERE id = $1', [id, now]);
      },
      revoke: (id, now, audit) =>
        transaction(pool, 'token', async (db) => {
          const revoked =
            (
              await db.query('UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL', [
                id,
                now,
              ])
            ).rowCount === 1;
          if (revoked) await insertAudit(db, audit);
          return revoked;
        }),
    },
  };
}
