import { assembleReleases, COMMIT_COLUMNS, toCommit, toDeploy, toRepository } from '../releases-assemble.ts';
import type { CommitFile, FileChangeType, ReleasesStore } from '../types-releases.ts';
import type { SqliteConnection } from './connection.ts';

type Row = Record<string, unknown>;
type Releases = ReleasesStore['releases'];

export const RELEASE_COLUMNS = `r.id, r.org_id, r.version, r.ref, r.url, r.status,
  coalesce(r.date_created, r.first_seen) AS date_created, r.date_started, r.date_released,
  r.first_seen, r.last_seen`;

const IN_IDS = 'IN (SELECT value FROM json_each(?))';

/** Turns release rows into Releases with their projects, commits and deploys (6 queries per page). */
export function loadReleases(db: SqliteConnection, releases: Row[]) {
  if (releases.length === 0) return [];
  const ids = JSON.stringify(releases.map((r) => Number(r.id)));
  return assembleReleases({
    releases,
    projects: db.all<Row>(
      `SELECT rp.release_id, rp.project_id,
         (SELECT count(*) FROM issues i WHERE i.project_id = rp.project_id AND i.first_release = r.version) AS new_groups
       FROM release_projects rp JOIN releases r ON r.id = rp.release_id
       WHERE rp.release_id ${IN_IDS} ORDER BY rp.release_id, rp.project_id`,
      ids,
    ),
    commitCounts: db.all<Row>(
      `SELECT release_id, count(*) AS n FROM release_commits WHERE release_id ${IN_IDS} GROUP BY release_id`,
      ids,
    ),
    lastCommits: db.all<Row>(
      `SELECT rc.release_id, ${COMMIT_COLUMNS} FROM release_commits rc
       JOIN commits c ON c.id = rc.commit_id JOIN repositories repo ON repo.id = c.repository_id
       WHERE rc.release_id ${IN_IDS}
         AND rc.position = (SELECT min(x.position) FROM release_commits x WHERE x.release_id = rc.release_id)`,
      ids,
    ),
    authors: db.all<Row>(
      `SELECT rc.release_id, c.author_name, c.author_email, min(rc.position) AS first_position
       FROM release_commits rc JOIN commits c ON c.id = rc.commit_id
       WHERE rc.release_id ${IN_IDS} AND (c.author_email IS NOT NULL OR c.author_name IS NOT NULL)
       GROUP BY rc.release_id, c.author_name, c.author_email ORDER BY rc.release_id, first_position`,
      ids,
    ),
    deployCounts: db.all<Row>(
      `SELECT release_id, count(*) AS n FROM deploys WHERE release_id ${IN_IDS} GROUP BY release_id`,
      ids,
    ),
    lastDeploys: db.all<Row>(
      `SELECT d.*, ${DEPLOY_PROJECT_IDS} FROM deploys d WHERE d.release_id ${IN_IDS}
         AND d.id = (SELECT x.id FROM deploys x WHERE x.release_id = d.release_id
                     ORDER BY x.date_finished DESC, x.id DESC LIMIT 1)`,
      ids,
    ),
  });
}

const DEPLOY_PROJECT_IDS =
  '(SELECT json_group_array(dp.project_id) FROM deploy_projects dp WHERE dp.deploy_id = d.id) AS project_ids';

/** A release's own date for ordering "previous" releases: released, else created. */
const RELEASE_DATE = (alias: string) =>
  `coalesce(${alias}.date_released, ${alias}.date_created, ${alias}.first_seen)`;

export function createReleaseReads(db: SqliteConnection) {
  const releases: Pick<Releases, 'get' | 'list' | 'commits' | 'previousWithCommits' | 'unknownRepositories'> =
    {
      async get(orgId, version) {
        const row = db.get<Row>(
          `SELECT ${RELEASE_COLUMNS} FROM releases r WHERE r.org_id = ? AND r.version = ?`,
          orgId,
          version,
        );
        return row ? loadReleases(db, [row])[0] : null;
      },
      async list(q) {
        const projectIds = q.projectIds ? JSON.stringify(q.projectIds) : null;
        const rows = db.all<Row>(
          `SELECT ${RELEASE_COLUMNS} FROM releases r
           WHERE r.org_id = ? AND r.status = ? AND (? IS NULL OR instr(fold_case(r.version), fold_case(?)) > 0)
             AND (? IS NULL OR EXISTS (SELECT 1 FROM release_projects rp
                                       WHERE rp.release_id = r.id AND rp.project_id ${IN_IDS}))
           ORDER BY coalesce(r.date_created, r.first_seen) DESC, r.id DESC LIMIT ? OFFSET ?`,
          q.orgId,
          q.status,
          q.query ?? null,
          q.query ?? null,
          projectIds,
          projectIds,
          q.limit,
          q.offset,
        );
        return loadReleases(db, rows);
      },
      async commits(releaseId, page) {
        const rows = db.all<Row>(
          `SELECT ${COMMIT_COLUMNS} FROM release_commits rc
           JOIN commits c ON c.id = rc.commit_id JOIN repositories repo ON repo.id = c.repository_id
           WHERE rc.release_id = ? ORDER BY rc.position LIMIT ? OFFSET ?`,
          releaseId,
          page.limit,
          page.offset,
        );
        const commits = rows.map(toCommit);
        if (!page.withFiles || rows.length === 0) return commits;
        const files = new Map<number, CommitFile[]>();
        const fileRows = db.all<Row>(
          `SELECT commit_id, path, type FROM commit_files WHERE commit_id ${IN_IDS} ORDER BY path`,
          JSON.stringify(rows.map((r) => Number(r.commit_id))),
        );
        for (const f of fileRows) {
          const list = files.get(Number(f.commit_id)) ?? [];
          list.push({ path: String(f.path), type: f.type as FileChangeType });
          files.set(Number(f.commit_id), list);
        }
        return commits.map((commit, i) => ({ ...commit, files: files.get(Number(rows[i].commit_id)) ?? [] }));
      },
      async previousWithCommits(releaseId) {
        const row = db.get<Row>(
          `SELECT ${RELEASE_COLUMNS} FROM releases r JOIN releases cur ON cur.id = ?
           WHERE r.org_id = cur.org_id AND r.id <> cur.id
             AND (${RELEASE_DATE('r')} < ${RELEASE_DATE('cur')}
                  OR (${RELEASE_DATE('r')} = ${RELEASE_DATE('cur')} AND r.id < cur.id))
             AND EXISTS (SELECT 1 FROM release_commits rc WHERE rc.release_id = r.id)
             AND EXISTS (SELECT 1 FROM release_projects a JOIN release_projects b ON b.project_id = a.project_id
                         WHERE a.release_id = r.id AND b.release_id = cur.id)
           ORDER BY ${RELEASE_DATE('r')} DESC, r.id DESC LIMIT 1`,
          releaseId,
        );
        return row ? loadReleases(db, [row])[0] : null;
      },
      async unknownRepositories(orgId, names) {
        const known = new Set(
          db
            .all<Row>(
              `SELECT name FROM repositories WHERE org_id = ? AND name ${IN_IDS}`,
              orgId,
              JSON.stringify(names),
            )
            .map((r) => String(r.name)),
        );
        return [...new Set(names)].filter((name) => !known.has(name));
      },
    };
  const repositories: ReleasesStore['repositories'] = {
    async list(orgId, page) {
      return db
        .all<Row>(
          `SELECT * FROM repositories WHERE org_id = ? AND (? IS NULL OR instr(fold_case(name), fold_case(?)) > 0)
           ORDER BY name, id LIMIT ? OFFSET ?`,
          orgId,
          page.query ?? null,
          page.query ?? null,
          page.limit,
          page.offset,
        )
        .map(toRepository);
    },
  };
  const deploys: Pick<ReleasesStore['deploys'], 'list'> = {
    async list(releaseId, page) {
      return db
        .all<Row>(
          `SELECT d.*, ${DEPLOY_PROJECT_IDS} FROM deploys d WHERE d.release_id = ?
             AND (? IS NULL OR EXISTS (SELECT 1 FROM deploy_projects dp WHERE dp.deploy_id = d.id AND dp.project_id = ?))
           ORDER BY d.date_finished DESC, d.id DESC LIMIT ? OFFSET ?`,
          releaseId,
          page.projectId ?? null,
          page.projectId ?? null,
          page.limit,
          page.offset,
        )
        .map(toDeploy);
    },
  };
  return { releases, repositories, deploys };
}
