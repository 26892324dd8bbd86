import type pg from 'pg';
import type { AccountsStore } from '../types-accounts.ts';
import type { AuditEntry } from '../types-audit.ts';
import { groupBy, lastOwner, orNull, toMembership, toTeam, transaction } from './accounts-rows.ts';
import { insertAudit } from './audit.ts';
import { one, type Queryable, rows } from './pool.ts';
import { toProject, toUser } from './rows.ts';

const OWNER_COUNT = "(SELECT count(*) FROM org_members WHERE org_id = $1 AND role = 'owner')";

/**
 * Under READ COMMITTED, two transactions demoting two different owners would each count two
 * owners and both commit. Locking the owner rows first (in one order, so no deadlock) makes the
 * second wait, and its UPDATE then counts with a fresh snapshot.
 */
async function lockOwners(db: Queryable, orgId: number): Promise<void> {
  await db.query(
    "SELECT user_id FROM org_members WHERE org_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE",
    [orgId],
  );
}

async function isMember(db: Queryable, orgId: number, userId: number): Promise<boolean> {
  return (
    (await one(db, 'SELECT 1 FROM org_members WHERE org_id = $1 AND user_id = $2', [orgId, userId])) !==
    undefined
  );
}

export function createTeamsAndMembers(pool: pg.Pool): Pick<AccountsStore, 'members' | 'teams'> {
  /** A link added or removed (false when it already was / was not), audited when it changed. */
  const changed = (what: string, audit: AuditEntry | undefined, sql: string, params: unknown[]) =>
    transaction(pool, what, async (db) => {
      const linked = ((await db.query(sql, params)).rowCount ?? 0) > 0;
      if (linked) await insertAudit(db, audit);
      return linked;
    });
  return {
    members: {
      get: async (orgId, userId) =>
        orNull(toMembership)(
          await one(pool, 'SELECT * FROM org_members WHERE org_id = $1 AND user_id = $2', [orgId, userId]),
        ),
      listByOrg: async (orgId) =>
        (
          await rows(
            pool,
            `SELECT m.org_id, m.user_id, m.role, m.created_at AS member_created_at,
                    u.id, u.email, u.name, u.password_hash, u.created_at
             FROM org_members m JOIN users u ON u.id = m.user_id
             WHERE m.org_id = $1 ORDER BY u.email COLLATE "C"`,
            [orgId],
          )
        ).map((row) => ({
          ...toMembership({ ...row, created_at: row.member_created_at }),
          user: toUser(row),
        })),
      add: ({ orgId, userId, role, now, teamIds = [] }, audit) =>
        transaction(pool, 'membership', async (db) => {
          const membership = toMembership(
            (await one(
              db,
              'INSERT INTO org_members (org_id, user_id, role, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
              [orgId, userId, role, now],
            ))!,
          );
          await db.query(
            `INSERT INTO team_members (team_id, user_id, created_at)
             SELECT team_id, $2, $3 FROM unnest($1::bigint[]) AS team_id ON CONFLICT DO NOTHING`,
            [teamIds, userId, now],
          );
          await insertAudit(db, audit);
          return membership;
        }),
      setRole: (orgId, userId, role, audit) =>
        transaction(pool, 'membership', async (db) => {
          await lockOwners(db, orgId);
          const row = await one(
            db,
            `UPDATE org_members SET role = $3 WHERE org_id = $1 AND user_id = $2
               AND NOT (role = 'owner' AND $3::text <> 'owner' AND ${OWNER_COUNT} <= 1) RETURNING *`,
            [orgId, userId, role],
          );
          if (row) {
            await insertAudit(db, audit);
            return toMembership(row);
          }
          if (await isMember(db, orgId, userId)) throw lastOwner('demoted');
          return null;
        }),
      remove: (orgId, userId, audit) =>
        transaction(pool, 'membership', async (db) => {
          await lockOwners(db, orgId);
          const removed = await db.query(
            `DELETE FROM org_members WHERE org_id = $1 AND user_id = $2
               AND NOT (role = 'owner' AND ${OWNER_COUNT} <= 1)`,
            [orgId, userId],
          );
          if (removed.rowCount === 0) {
            if (await isMember(db, orgId, userId)) throw lastOwner('removed');
            return false;
          }
          await db.query(
            'DELETE FROM team_members WHERE user_id = $2 AND team_id IN (SELECT id FROM teams WHERE org_id = $1)',
            [orgId, userId],
          );
          await insertAudit(db, audit);
          return true;
        }),
    },
    teams: {
      getById: async (id) => orNull(toTeam)(await one(pool, 'SELECT * FROM teams WHERE id = $1', [id])),
      getBySlug: async (orgId, slug) =>
        orNull(toTeam)(await one(pool, 'SELECT * FROM teams WHERE org_id = $1 AND slug = $2', [orgId, slug])),
      create: ({ orgId, slug, name, now, memberUserId }, audit) =>
        transaction(pool, 'team', async (db) => {
          const team = toTeam(
            (await one(
              db,
              'INSERT INTO teams (org_id, slug, name, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
              [orgId, slug, name, now],
            ))!,
          );
          if (memberUserId !== undefined) {
            await db.query('INSERT INTO team_members (team_id, user_id, created_at) VALUES ($1, $2, $3)', [
              team.id,
              memberUserId,
              now,
            ]);
          }
          await insertAudit(db, audit, team.id);
          return team;
        }),
      listByOrg: async (orgId) =>
        (await rows(pool, 'SELECT * FROM teams WHERE org_id = $1 ORDER BY slug COLLATE "C"', [orgId])).map(
          toTeam,
        ),
      listByProjects: async (projectIds) =>
        groupBy(
          await rows(
            pool,
            `SELECT tp.project_id, t.* FROM team_projects tp JOIN teams t ON t.id = tp.team_id
             WHERE tp.project_id = ANY($1::bigint[]) ORDER BY t.slug COLLATE "C"`,
            [projectIds],
          ),
          'project_id',
          toTeam,
        ),
      projects: async (teamIds) =>
        groupBy(
          await rows(
            pool,
            `SELECT tp.team_id, p.* FROM team_projects tp JOIN projects p ON p.id = tp.project_id
             WHERE tp.team_id = ANY($1::bigint[]) ORDER BY p.slug COLLATE "C"`,
            [teamIds],
          ),
          'team_id',
          toProject,
        ),
      listByMembers: async (orgId, userIds) =>
        groupBy(
          await rows(
            pool,
            `SELECT tm.user_id, t.* FROM team_members tm JOIN teams t ON t.id = tm.team_id
             WHERE t.org_id = $1 AND tm.user_id = ANY($2::bigint[]) ORDER BY t.slug COLLATE "C"`,
            [orgId, userIds],
          ),
          'user_id',
          toTeam,
        ),
      memberIds: async (teamIds) =>
        groupBy(
          await rows(
            pool,
            'SELECT team_id, user_id FROM team_members WHERE team_id = ANY($1::bigint[]) ORDER BY user_id',
            [teamIds],
          ),
          'team_id',
          (row) => Number(row.user_id),
        ),
      addProject: (teamId, projectId, audit) =>
        changed(
          'team project',
          audit,
          'INSERT INTO team_projects (team_id, project_id) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [teamId, projectId],
        ),
      removeProject: (teamId, projectId, audit) =>
        changed('team project', audit, 'DELETE FROM team_projects WHERE team_id = $1 AND project_id = $2', [
          teamId,
          projectId,
        ]),
      addMember: (teamId, userId, now, audit) =>
        changed(
          'team member',
          audit,
          'INSERT INTO team_members (team_id, user_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
          [teamId, userId, now],
        ),
      removeMember: (teamId, userId, audit) =>
        changed('team member', audit, 'DELETE FROM team_members WHERE team_id = $1 AND user_id = $2', [
          teamId,
          userId,
        ]),
    },
  };
}
