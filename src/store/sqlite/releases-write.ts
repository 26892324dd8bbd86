import { NO_EVENT_FIRST_SEEN, toDeploy } from '../releases-assemble.ts';
import type { NewCommit, ReleasesStore } from '../types-releases.ts';
import { type SqliteConnection, type SqliteHandles, writeTransaction } from './connection.ts';
import { loadReleases, RELEASE_COLUMNS } from './releases-read.ts';

type Row = Record<string, unknown>;
type Releases = ReleasesStore['releases'];

export function createReleaseWrites(h: SqliteHandles) {
  const reread = (id: number) =>
    loadReleases(h.reader, [
      h.reader.get<Row>(`SELECT ${RELEASE_COLUMNS} FROM releases r WHERE r.id = ?`, id)!,
    ])[0];

  const releases: Pick<Releases, 'create' | 'update' | 'delete' | 'setCommits'> = {
    async create(input) {
      const { id, created } = await writeTransaction(h, (db) => {
        const existing = db.get<Row>(
          'SELECT id FROM releases WHERE org_id = ? AND version = ?',
          input.orgId,
          input.version,
        );
        const releaseId = existing
          ? Number(existing.id)
          : Number(
              db.get<Row>(
                `INSERT INTO releases (org_id, version, first_seen, last_seen, date_created, date_started,
                   date_released, ref, url, status) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?) RETURNING id`,
                input.orgId,
                input.version,
                NO_EVENT_FIRST_SEEN,
                input.now,
                input.dateStarted,
                input.dateReleased,
                input.ref,
                input.url,
                input.status ?? 'open',
              )!.id,
            );
        if (existing && input.status)
          db.run('UPDATE releases SET status = ? WHERE id = ?', input.status, releaseId);
        let linked = false;
        for (const projectId of input.projectIds) {
          const changes = db.run(
            'INSERT INTO release_projects (release_id, project_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
            releaseId,
            projectId,
          );
          linked ||= changes === 1;
        }
        if (input.commits) replaceCommits(db, releaseId, input.commits, input.now);
        return { id: releaseId, created: !existing || linked };
      });
      return { release: reread(id), created };
    },
    async update(orgId, version, patch, commits) {
      const row = await writeTransaction(h, (db) => {
        const updated = db.get<Row>(
          `UPDATE releases SET
             ref = CASE WHEN ? THEN ? ELSE ref END,
             url = CASE WHEN ? THEN ? ELSE url END,
             date_released = CASE WHEN ? THEN ? ELSE date_released END,
             status = coalesce(?, status)
           WHERE org_id = ? AND version = ? RETURNING id`,
          Number(patch.ref !== undefined),
          patch.ref ?? null,
          Number(patch.url !== undefined),
          patch.url ?? null,
          Number(patch.dateReleased !== undefined),
          patch.dateReleased ?? null,
          patch.status ?? null,
          orgId,
          version,
        );
        if (updated && commits) replaceCommits(db, Number(updated.id), commits.commits, commits.now);
        return updated;
      });
      return row ? reread(Number(row.id)) : null;
    },
    delete: (orgId, version) =>
      writeTransaction(h, (db) => {
        const release = db.get<Row>(
          'SELECT id FROM releases WHERE org_id = ? AND version = ?',
          orgId,
          version,
        );
        if (!release) return 'missing' as const;
        const inUse = db.get<Row>(
          `SELECT 1 AS used FROM issues i JOIN projects p ON p.id = i.project_id
           WHERE p.org_id = ? AND i.first_release = ? LIMIT 1`,
          orgId,
          version,
        );
        if (inUse) return 'in-use' as const;
        db.run('DELETE FROM releases WHERE id = ?', release.id as number);
        return 'deleted' as const;
      }),
    setCommits: (releaseId, commits, now) =>
      writeTransaction(h, (db) => replaceCommits(db, releaseId, commits, now)),
  };

  const deploys: Pick<ReleasesStore['deploys'], 'create'> = {
    create: (input) =>
      writeTransaction(h, (db) => {
        const row = db.get<Row>(
          `INSERT INTO deploys (release_id, environment, name, url, date_started, date_finished)
           VALUES (?, ?, ?, ?, ?, ?) RETURNING *`,
          input.releaseId,
          input.environment,
          input.name,
          input.url,
          input.dateStarted,
          input.dateFinished,
        )!;
        for (const projectId of input.projectIds) {
          db.run(
            'INSERT INTO deploy_projects (deploy_id, project_id) VALUES (?, ?)',
            row.id as number,
            projectId,
          );
          ensureEnvironment(db, input.orgId, projectId, input.environment, input.dateFinished);
        }
        return toDeploy({ ...row, project_ids: input.projectIds });
      }),
  };
  return { releases, deploys };
}

function replaceCommits(db: SqliteConnection, releaseId: number, commits: NewCommit[], now: number): void {
  const orgId = Number(db.get<Row>('SELECT org_id FROM releases WHERE id = ?', releaseId)!.org_id);
  db.run('DELETE FROM release_commits WHERE release_id = ?', releaseId);
  commits.forEach((commit, position) => {
    const commitId = upsertCommit(db, orgId, commit, now);
    db.run(
      'INSERT INTO release_commits (release_id, commit_id, position) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      releaseId,
      commitId,
      position,
    );
  });
}

function upsertCommit(db: SqliteConnection, orgId: number, commit: NewCommit, now: number): number {
  db.run(
    'INSERT INTO repositories (org_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (org_id, name) DO NOTHING',
    orgId,
    commit.repository,
    now,
  );
  const row = db.get<Row>(
    `INSERT INTO commits (repository_id, sha, message, author_name, author_email, date_created)
     SELECT id, ?, ?, ?, ?, ? FROM repositories WHERE org_id = ? AND name = ?
     ON CONFLICT (repository_id, sha) DO UPDATE SET
       message = coalesce(excluded.message, message),
       author_name = coalesce(excluded.author_name, author_name),
       author_email = coalesce(excluded.author_email, author_email),
       date_created = CASE WHEN ? THEN excluded.date_created ELSE date_created END
     RETURNING id`,
    commit.sha,
    commit.message,
    commit.authorName,
    commit.authorEmail,
    commit.dateCreated ?? now,
    orgId,
    commit.repository,
    Number(commit.dateCreated !== null),
  )!;
  const commitId = Number(row.id);
  if (commit.files) {
    db.run('DELETE FROM commit_files WHERE commit_id = ?', commitId);
    for (const file of commit.files) {
      db.run(
        `INSERT INTO commit_files (commit_id, path, type) VALUES (?, ?, ?)
         ON CONFLICT (commit_id, path) DO UPDATE SET type = excluded.type`,
        commitId,
        file.path,
        file.type,
      );
    }
  }
  return commitId;
}

/** A deploy's environment is also an environment of each of its projects, as if an event named it. */
function ensureEnvironment(db: SqliteConnection, orgId: number, projectId: number, name: string, at: number) {
  db.run(
    `INSERT INTO environments (org_id, name, first_seen) VALUES (?, ?, ?)
     ON CONFLICT (org_id, name) DO UPDATE SET first_seen = min(first_seen, excluded.first_seen)`,
    orgId,
    name,
    at,
  );
  db.run(
    `INSERT INTO environment_projects (environment_id, project_id)
     SELECT id, ? FROM environments WHERE org_id = ? AND name = ? ON CONFLICT DO NOTHING`,
    projectId,
    orgId,
    name,
  );
}
