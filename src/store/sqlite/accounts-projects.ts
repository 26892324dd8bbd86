import type { AccountsStore, NewKey } from '../types-accounts.ts';
import { definedOnly, nullable, type Row, writer } from './accounts-rows.ts';
import { insertAudit } from './audit.ts';
import type { SqliteConnection, SqliteHandles } from './connection.ts';
import { toProject, toProjectKey } from './rows.ts';

type KeyLimit = { rateLimitCount?: number | null; rateLimitWindowSeconds?: number | null };

function insertKey(db: SqliteConnection, projectId: number, key: NewKey & KeyLimit, now: number) {
  return toProjectKey(
    db.get<Row>(
      `INSERT INTO project_keys
         (project_id, label, public_key, secret_key, rate_limit_count, rate_limit_window_seconds, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      projectId,
      key.label,
      key.publicKey,
      key.secretKey,
      key.rateLimitCount ?? null,
      key.rateLimitWindowSeconds ?? null,
      now,
    )!,
  );
}

function insertProject(db: SqliteConnection, input: Parameters<AccountsStore['projects']['create']>[0]) {
  return toProject(
    db.get<Row>(
      'INSERT INTO projects (org_id, slug, name, platform, created_at) VALUES (?, ?, ?, ?, ?) RETURNING *',
      input.orgId,
      input.slug,
      input.name,
      input.platform,
      input.now,
    )!,
  );
}

export function createProjectsAndKeys(h: SqliteHandles): Pick<AccountsStore, 'projects' | 'keys'> {
  const write = writer(h);
  const read = h.reader;
  return {
    projects: {
      create: (input) => write('project', () => insertProject(h.writer, input)),
      createWithKey: (input) =>
        write(
          'project',
          () => {
            const project = insertProject(h.writer, input);
            if (input.teamId !== undefined) {
              h.writer.run(
                'INSERT INTO team_projects (team_id, project_id) VALUES (?, ?)',
                input.teamId,
                project.id,
              );
            }
            return { project, key: insertKey(h.writer, project.id, input.key, input.now) };
          },
          { transaction: true },
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
            `UPDATE projects SET slug = ?, name = ?, platform = ?, event_max_age_days = ?, events_per_issue = ?
             WHERE id = ? RETURNING *`,
            next.slug,
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
      create: ({ projectId, now, ...key }, audit) =>
        write(
          'project key',
          () => {
            const created = insertKey(h.writer, projectId, key, now);
            insertAudit(h.writer, audit, created.id);
            return created;
          },
          { transaction: true },
        ),
      getByPublicKey: async (publicKey) =>
        nullable(read.get<Row>('SELECT * FROM project_keys WHERE public_key = ?', publicKey), toProjectKey),
      listByProject: async (projectId) =>
        read
          .all<Row>('SELECT * FROM project_keys WHERE project_id = ? ORDER BY id', projectId)
          .map(toProjectKey),
      update: (id, patch, audit) =>
        write(
          'project key',
          () => {
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
            if (row) insertAudit(h.writer, audit);
            return nullable(row, toProjectKey);
          },
          { transaction: true },
        ),
      delete: (id, audit) =>
        write(
          'project key',
          () => {
            const deleted = h.writer.run('DELETE FROM project_keys WHERE id = ?', id) === 1;
            if (deleted) insertAudit(h.writer, audit);
            return deleted;
          },
          { transaction: true },
        ),
      rotate: (id, replacement, audit) =>
        write(
          'project key',
          () => {
            const old = h.writer.get<Row>(
              'UPDATE project_keys SET is_active = 0 WHERE id = ? RETURNING *',
              id,
            );
            if (!old) return null;
            const retired = toProjectKey(old);
            const created = insertKey(
              h.writer,
              retired.projectId,
              { ...retired, ...replacement },
              replacement.now,
            );
            insertAudit(h.writer, audit);
            return { retired, created };
          },
          { transaction: true },
        ),
    },
  };
}
