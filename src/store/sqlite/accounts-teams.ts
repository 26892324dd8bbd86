import type { AccountsStore } from '../types-accounts.ts';
import type { AuditEntry } from '../types-audit.ts';
import { groupBy, lastOwner, nullable, type Row, toMembership, toTeam, writer } from './accounts-rows.ts';
import { insertAudit } from './audit.ts';
import type { SqliteHandles } from './connection.ts';
import { toProject, toUser } from './rows.ts';

/** Id lists travel as one JSON parameter, so each statement is prepared once whatever the length. */
const ids = (list: number[]) => JSON.stringify(list);

const OWNER_COUNT = "(SELECT count(*) FROM org_members WHERE org_id = ? AND role = 'owner')";

export function createTeamsAndMembers(h: SqliteHandles): Pick<AccountsStore, 'members' | 'teams'> {
  const write = writer(h);
  const read = h.reader;
  const isMember = (orgId: number, userId: number) =>
    h.writer.get<Row>('SELECT 1 FROM org_members WHERE org_id = ? AND user_id = ?', orgId, userId) !==
    undefined;
  /** A link added or removed (false when it already was / was not), audited when it changed. */
  const link = (what: string, audit: AuditEntry | undefined, sql: string, ...params: number[]) =>
    write(
      what,
      () => {
        const changed = h.writer.run(sql, ...params) === 1;
        if (changed) insertAudit(h.writer, audit);
        return changed;
      },
      { transaction: true },
    );
  return {
    members: {
      get: async (orgId, userId) =>
        nullable(
          read.get<Row>('SELECT * FROM org_members WHERE org_id = ? AND user_id = ?', orgId, userId),
          toMembership,
        ),
      listByOrg: async (orgId) =>
        read
          .all<Row>(
            `SELECT m.org_id, m.user_id, m.role, m.created_at AS member_created_at,
                    u.id, u.email, u.name, u.password_hash, u.created_at
             FROM org_members m JOIN users u ON u.id = m.user_id
             WHERE m.org_id = ? ORDER BY u.email`,
            orgId,
          )
          .map((row) => ({
            ...toMembership({ ...row, created_at: row.member_created_at }),
            user: toUser(row),
          })),
      add: ({ orgId, userId, role, now, teamIds = [] }, audit) =>
        write(
          'membership',
          () => {
            const membership = toMembership(
              h.writer.get<Row>(
                'INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (?, ?, ?, ?) RETURNING *',
                orgId,
                userId,
                role,
                now,
              )!,
            );
            for (const teamId of teamIds) {
              h.writer.run(
                'INSERT INTO team_members (team_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
                teamId,
                userId,
                now,
              );
            }
            insertAudit(h.writer, audit);
            return membership;
          },
          { transaction: true },
        ),
      setRole: (orgId, userId, role, audit) =>
        write(
          'membership',
          () => {
            // The owner count is read in the same statement, under the write lock: two admins
            // demoting the last two owners at once cannot both pass.
            const row = h.writer.get<Row>(
              `UPDATE org_members SET role = ? WHERE org_id = ? AND user_id = ?
                 AND NOT (role = 'owner' AND ? <> 'owner' AND ${OWNER_COUNT} <= 1) RETURNING *`,
              role,
              orgId,
              userId,
              role,
              orgId,
            );
            if (row) {
              insertAudit(h.writer, audit);
              return toMembership(row);
            }
            if (isMember(orgId, userId)) throw lastOwner('demoted');
            return null;
          },
          { transaction: true },
        ),
      remove: (orgId, userId, audit) =>
        write(
          'membership',
          () => {
            const removed = h.writer.run(
              `DELETE FROM org_members WHERE org_id = ? AND user_id = ?
                 AND NOT (role = 'owner' AND ${OWNER_COUNT} <= 1)`,
              orgId,
              userId,
              orgId,
            );
            if (removed === 0) {
              if (isMember(orgId, userId)) throw lastOwner('removed');
              return false;
            }
            h.writer.run(
              'DELETE FROM team_members WHERE user_id = ? AND team_id IN (SELECT id FROM teams WHERE org_id = ?)',
              userId,
              orgId,
            );
            insertAudit(h.writer, audit);
            return true;
          },
          { transaction: true },
        ),
    },
    teams: {
      getById: async (id) => nullable(read.get<Row>('SELECT * FROM teams WHERE id = ?', id), toTeam),
      getBySlug: async (orgId, slug) =>
        nullable(read.get<Row>('SELECT * FROM teams WHERE org_id = ? AND slug = ?', orgId, slug), toTeam),
      create: ({ orgId, slug, name, now, memberUserId }, audit) =>
        write(
          'team',
          () => {
            const team = toTeam(
              h.writer.get<Row>(
                'INSERT INTO teams (org_id, slug, name, created_at) VALUES (?, ?, ?, ?) RETURNING *',
                orgId,
                slug,
                name,
                now,
              )!,
            );
            if (memberUserId !== undefined) {
              h.writer.run(
                'INSERT INTO team_members (team_id, user_id, created_at) VALUES (?, ?, ?)',
                team.id,
                memberUserId,
                now,
              );
            }
            insertAudit(h.writer, audit, team.id);
            return team;
          },
          { transaction: true },
        ),
      listByOrg: async (orgId) =>
        read.all<Row>('SELECT * FROM teams WHERE org_id = ? ORDER BY slug', orgId).map(toTeam),
      listByProjects: async (projectIds) =>
        groupBy(
          read.all<Row>(
            `SELECT tp.project_id, t.* FROM team_projects tp JOIN teams t ON t.id = tp.team_id
             WHERE tp.project_id IN (SELECT value FROM json_each(?)) ORDER BY t.slug`,
            ids(projectIds),
          ),
          'project_id',
          toTeam,
        ),
      projects: async (teamIds) =>
        groupBy(
          read.all<Row>(
            `SELECT tp.team_id, p.* FROM team_projects tp JOIN projects p ON p.id = tp.project_id
             WHERE tp.team_id IN (SELECT value FROM json_each(?)) ORDER BY p.slug`,
            ids(teamIds),
          ),
          'team_id',
          toProject,
        ),
      listByMembers: async (orgId, userIds) =>
        groupBy(
          read.all<Row>(
            `SELECT tm.user_id, t.* FROM team_members tm JOIN teams t ON t.id = tm.team_id
             WHERE t.org_id = ? AND tm.user_id IN (SELECT value FROM json_each(?)) ORDER BY t.slug`,
            orgId,
            ids(userIds),
          ),
          'user_id',
          toTeam,
        ),
      memberIds: async (teamIds) =>
        groupBy(
          read.all<Row>(
            `SELECT team_id, user_id FROM team_members
             WHERE team_id IN (SELECT value FROM json_each(?)) ORDER BY user_id`,
            ids(teamIds),
          ),
          'team_id',
          (row) => Number(row.user_id),
        ),
      addProject: (teamId, projectId, audit) =>
        link(
          'team project',
          audit,
          'INSERT INTO team_projects (team_id, project_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
          teamId,
          projectId,
        ),
      removeProject: (teamId, projectId, audit) =>
        link(
          'team project',
          audit,
          'DELETE FROM team_projects WHERE team_id = ? AND project_id = ?',
          teamId,
          projectId,
        ),
      addMember: (teamId, userId, now, audit) =>
        link(
          'team member',
          audit,
          'INSERT INTO team_members (team_id, user_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
          teamId,
          userId,
          now,
        ),
      removeMember: (teamId, userId, audit) =>
        link(
          'team member',
          audit,
          'DELETE FROM team_members WHERE team_id = ? AND user_id = ?',
          teamId,
          userId,
        ),
    },
  };
}
