import { assembleReleases, COMMIT_COLUMNS, toCommit, toDeploy, toRepository } from '../releases-assemble.ts';
import type { CommitFile, FileChangeType, ReleasesStore } from '../types-releases.ts';
import { type Queryable, type Row, rows } from './pool.ts';

type Releases = ReleasesStore['releases'];

export const RELEASE_COLUMNS = `r.id, r.org_id, r.version, r.ref, r.url, r.status,
  coalesce(r.date_created, r.first_seen) AS date_created, r.date_started, r.date_released,
  r.first_seen, r.last_seen`;

const DEPLOY_PROJECT_IDS = `(SELECT coalesce(array_agg(dp.project_id), '{}') FROM deploy_projects dp
  WHERE dp.deploy_id = d.id) AS project_ids`;

/** Turns release rows into Releases with their projects, commits and deploys (6 queries per page). */
export async function loadReleases(db: Queryable, releases: Row[]) {
  if (releases.length === 0) return [];
  const ids = [releases.map((r) => Number(r.id))];
  const [projects, commitCounts, lastCommits, authors, deployCounts, lastDeploys] = await Promise.all([
    rows(
      db,
      `SELECT rp.release_id, rp.project_id,
         (SELECT count(*) FROM issues i WHERE i.project_id = rp.project_id AND i.first_release = r.version) AS new_groups
       FROM release_projects rp JOIN releases r ON r.id = rp.release_id
       WHERE rp.release_id = ANY($1::bigint[]) ORDER BY rp.release_id, rp.project_id`,
      ids,
    ),
    rows(
      db,
      `SELECT release_id, count(*) AS n FROM release_commits WHERE release_id = ANY($1::bigint[]) GROUP BY release_id`,
      ids,
    ),
    rows(
      db,
      `SELECT DISTINCT ON (rc.release_id) rc.release_id, ${COMMIT_COLUMNS} FROM release_commits rc
       JOIN commits c ON c.id = rc.commit_id JOIN repositories repo ON repo.id = c.repository_id
       WHERE rc.release_id = ANY($1::bigint[]) ORDER BY rc.release_id, rc.position`,
      ids,
    ),
    rows(
      db,
      `SELECT rc.release_id, c.author_name, c.author_email, min(rc.position) AS first_position
       FROM release_commits rc JOIN commits c ON c.id = rc.commit_id
       WHERE rc.release_id = ANY($1::bigint[]) AND (c.author_email IS NOT NULL OR c.author_name IS NOT NULL)
       GROUP BY rc.release_id, c.author_name, c.author_email ORDER BY rc.release_id, first_position`,
      ids,
    ),
    rows(
      db,
      `SELECT release_id, count(*) AS n FROM deploys WHERE release_id = ANY($1::bigint[]) GROUP BY release_id`,
      ids,
    ),
    rows(
      db,
      `SELECT DISTINCT ON (d.release_id) d.*, ${DEPLOY_PROJECT_IDS} FROM deploys d
       WHERE d.release_id = ANY($1::bigint[]) ORDER BY d.release_id, d.date_finished DESC, d.id DESC`,
      ids,
    ),
  ]);
  return assembleReleases({
    releases,
    projects,
    commitCounts,
    lastCommits,
    authors,
    deployCounts,
    lastDeploys,
  });
}

/** A release's own date for ordering "previous" releases: released, else created. */
const RELEASE_DATE = (alias: string) =>
  `coalesce(${alias}.date_released, ${alias}.date_created, ${alias}.first_seen)`;

export function createReleaseReads(db: Queryable) {
  const releases: Pick<Releases, 'get' | 'list' | 'commits' | 'previousWithCommits' | 'unknownRepositories'> =
    {
      async get(orgId, version) {
        const found = await rows(
          db,
          `SELECT ${RELEASE_COLUMNS} FROM releases r WHERE r.org_id = $1 AND r.version = $2`,
          [orgId, version],
        );
        return (await loadReleases(db, found))[0] ?? null;
      },
      async list(q) {
        const found = await rows(
          db,
          `SELECT ${RELEASE_COLUMNS} FROM releases r
           WHERE r.org_id = $1 AND r.status = $2 AND ($3::text IS NULL OR strpos(lower(r.version), lower($3)) > 0)
             AND ($4::bigint[] IS NULL OR EXISTS (SELECT 1 FROM release_projects rp
                                                  WHERE rp.release_id = r.id AND rp.project_id = ANY($4)))
           ORDER BY coalesce(r.date_created, r.first_seen) DESC, r.id DESC LIMIT $5 OFFSET $6`,
          [q.orgId, q.status, q.query ?? null, q.projectIds ?? null, q.limit, q.offset],
        );
        return loadReleases(db, found);
      },
      async commits(releaseId, page) {
        const found = await rows(
          db,
          `SELECT ${COMMIT_COLUMNS} FROM release_commits rc
           JOIN commits c ON c.id = rc.commit_id JOIN repositories repo ON repo.id = c.repository_id
           WHERE rc.release_id = $1 ORDER BY rc.position LIMIT $2 OFFSET $3`,
          [releaseId, page.limit, page.offset],
        );
        const commits = found.map(toCommit);
        if (!page.withFiles || found.length === 0) return commits;
        const files = new Map<number, CommitFile[]>();
        const fileRows = await rows(
          db,
          'SELECT commit_id, path, type FROM commit_files WHERE commit_id = ANY($1::bigint[]) ORDER BY path COLLATE "C"',
          [found.map((r) => Number(r.commit_id))],
        );
        for (const f of fileRows) {
          const list = files.get(Number(f.commit_id)) ?? [];
          list.push({ path: String(f.path), type: f.type as FileChangeType });
          files.set(Number(f.commit_id), list);
        }
        return commits.map((commit, i) => ({
          ...commit,
          files: files.get(Number(found[i].commit_id)) ?? [],
        }));
      },
      async previousWithCommits(releaseId) {
        const found = await rows(
          db,
          `SELECT ${RELEASE_COLUMNS} FROM releases r JOIN releases cur ON cur.id = $1
           WHERE r.org_id = cur.org_id AND r.id <> cur.id
             AND (${RELEASE_DATE('r')}, r.id) < (${RELEASE_DATE('cur')}, cur.id)
             AND EXISTS (SELECT 1 FROM release_commits rc WHERE rc.release_id = r.id)
             AND EXISTS (SELECT 1 FROM release_projects a JOIN release_projects b ON b.project_id = a.project_id
                         WHERE a.release_id = r.id AND b.release_id = cur.id)
           ORDER BY ${RELEASE_DATE('r')} DESC, r.id DESC LIMIT 1`,
          [releaseId],
        );
        return (await loadReleases(db, found))[0] ?? null;
      },
      async unknownRepositories(orgId, names) {
        const found = await rows(
          db,
          'SELECT name FROM repositories WHERE org_id = $1 AND name = ANY($2::text[])',
          [orgId, names],
        );
        const known = new Set(found.map((r) => String(r.name)));
        return [...new Set(names)].filter((name) => !known.has(name));
      },
    };
  const repositories: ReleasesStore['repositories'] = {
    async list(orgId, page) {
      const found = await rows(
        db,
        `SELECT * FROM repositories WHERE org_id = $1 AND ($2::text IS NULL OR strpos(lower(name), lower($2)) > 0)
         ORDER BY name COLLATE "C", id LIMIT $3 OFFSET $4`,
        [orgId, page.query ?? null, page.limit, page.offset],
      );
      return found.map(toRepository);
    },
  };
  const deploys: Pick<ReleasesStore['deploys'], 'list'> = {
    async list(releaseId, page) {
      const found = await rows(
        db,
        `SELECT d.*, ${DEPLOY_PROJECT_IDS} FROM deploys d WHERE d.release_id = $1
           AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM deploy_projects dp
                                             WHERE dp.deploy_id = d.id AND dp.project_id = $2))
         ORDER BY d.date_finished DESC, d.id DESC LIMIT $3 OFFSET $4`,
        [releaseId, page.projectId ?? null, page.limit, page.offset],
      );
      return found.map(toDeploy);
    },
  };
  return { releases, repositories, deploys };
}
