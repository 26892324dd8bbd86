import type pg from 'pg';
import type { AccountsStore, NewKey } from '../types-accounts.ts';
import { conflictAs, orNull, transaction } from './accounts-rows.ts';
import { insertAudit } from './audit.ts';
import { one, type Queryable, rows } from './pool.ts';
import { toProject, toProjectKey } from './rows.ts';

type KeyLimit = { rateLimitCount?: number | null; rateLimitWindowSeconds?: number | null };

async function insertKey(db: Queryable, projectId: number, key: NewKey & KeyLimit, now: number) {
  return toProjectKey(
    (await one(
      db,
      `INSERT INTO project_keys
         (project_id, label, public_key, secret_key, rate_limit_count, rate_limit_window_seconds, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [
        projectId,
        key.label,
        key.publicKey,
        key.secretKey,
        key.rateLimitCount ?? null,
        key.rateLimitWindowSeconds ?? null,
        now,
      ],
    ))!,
  );
}

async function insertProject(db: Queryable, input: Parameters<AccountsStore['projects']['create']>[0]) {
  return toProject(
    (await one(
      db,
      'INSERT INTO projects (org_id, slug, name, platform, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
      [input.orgId, input.slug, input.name, input.platform, input.now],
    ))!,
  );
}

export function createProjectsAndKeys(pool: pg.Pool): Pick<AccountsStore, 'projects' | 'keys'> {
  return {
    projects: {
      create: (input) => conflictAs('project', () => insertProject(pool, input)),
      createWithKey: (input) =>
        transaction(pool, 'project', async (db) => {
          const project = await insertProject(db, input);
          if (input.teamId !== undefined) {
            await db.query('INSERT INTO team_projects (team_id, project_id) VALUES ($1, $2)', [
              input.teamId,
              project.id,
            ]);
          }
          return { project, key: await insertKey(db, project.id, input.key, input.now) };
        }),
      getById: async (id) => orNull(toProject)(await one(pool, 'SELECT * FROM projects WHERE id = $1', [id])),
      getBySlug: async (orgId, slug) =>
        orNull(toProject)(
          await one(pool, 'SELECT * FROM projects WHERE org_id = $1 AND slug = $2', [orgId, slug]),
        ),
      listByOrg: async (orgId) =>
        (await rows(pool, 'SELECT * FROM projects WHERE org_id = $1 ORDER BY slug COLLATE "C"', [orgId])).map(
          toProject,
        ),
      listAll: async () => (await rows(pool, 'SELECT * FROM projects ORDER BY id')).map(toProject),
      update: (id, patch) =>
        conflictAs('project', async () =>
          orNull(toProject)(
            await one(
              pool,
              `UPDATE projects SET
                 slug = COALESCE($7, slug),
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
                patch.slug ?? null,
              ],
            ),
          ),
        ),
    },
    keys: {
      create: ({ projectId, now, ...key }, audit) =>
        transaction(pool, 'project key', async (db) => {
          const created = await insertKey(db, projectId, key, now);
          await insertAudit(db, audit, created.id);
          return created;
        }),
      getByPublicKey: async (publicKey) =>
        orNull(toProjectKey)(
          await one(pool, 'SELECT * FROM project_keys WHERE public_key = $1', [publicKey]),
        ),
      listByProject: async (projectId) =>
        (await rows(pool, 'SELECT * FROM project_keys WHERE project_id = $1 ORDER BY id', [projectId])).map(
          toProjectKey,
        ),
      update: (id, patch, audit) =>
        transaction(pool, 'project key', async (db) => {
          const row = await one(
            db,
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
          );
          if (row) await insertAudit(db, audit);
          return orNull(toProjectKey)(row);
        }),
      delete: (id, audit) =>
        transaction(pool, 'project key', async (db) => {
          const deleted = (await db.query('DELETE FROM project_keys WHERE id = $1', [id])).rowCount === 1;
          if (deleted) await insertAudit(db, audit);
          return deleted;
        }),
      rotate: (id, replacement, audit) =>
        transaction(pool, 'project key', async (db) => {
          const old = await one(db, 'UPDATE project_keys SET is_active = false WHERE id = $1 RETURNING *', [
            id,
          ]);
          if (!old) return null;
          const retired = toProjectKey(old);
          const created = await insertKey(
            db,
            retired.projectId,
            { ...retired, ...replacement },
            replacement.now,
          );
          await insertAudit(db, audit);
          return { retired, created };
        }),
    },
  };
}
