import type pg from 'pg';
import type { PoolClient } from 'pg';
import { NO_EVENT_FIRST_SEEN, toDeploy } from '../releases-assemble.ts';
import type { NewCommit, ReleasesStore } from '../types-releases.ts';
import { inTransaction, one, rows } from './pool.ts';
import { loadReleases, RELEASE_COLUMNS } from './releases-read.ts';

type Releases = ReleasesStore['releases'];

export function createReleaseWrites(pool: pg.Pool) {
  const reread = async (id: number) =>
    (
      await loadReleases(
        pool,
        await rows(pool, `SELECT ${RELEASE_COLUMNS} FROM releases r WHERE r.id = $1`, [id]),
      )
    )[0];

  const releases: Pick<Releases, 'create' | 'update' | 'delete' | 'setCommits'> = {
    async create(input) {
      const { id, created } = await inTransaction(pool, async (client) => {
        // DO NOTHING waits for a concurrent creator to commit; the SELECT then sees its row.
        const inserted = await one(
          client,
          `INSERT INTO releases (org_id, version, first_seen, last_seen, date_created, date_started,
             date_released, ref, url, status) VALUES ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (org_id, version) DO NOTHING RETURNING id`,
          [
            input.orgId,
            input.version,
            NO_EVENT_FIRST_SEEN,
            input.now,
            input.dateStarted,
            input.dateReleased,
            input.ref,
            input.url,
            input.status ?? 'open',
          ],
        );
        const releaseId = Number(
          inserted?.id ??
            (await one(client, 'SELECT id FROM releases WHERE org_id = $1 AND version = $2', [
              input.orgId,
              input.version,
            ]))!.id,
        );
        if (!inserted && input.status) {
          await client.query('UPDATE releases SET status = $1 WHERE id = $2', [input.status, releaseId]);
        }
        const linked = await rows(
          client,
          `INSERT INTO release_projects (release_id, project_id) SELECT $1, unnest($2::bigint[])
           ON CONFLICT DO NOTHING RETURNING project_id`,
          [releaseId, input.projectIds],
        );
        if (input.commits) await replaceCommits(client, releaseId, input.commits, input.now);
        return { id: releaseId, created: inserted !== undefined || linked.length > 0 };
      });
      return { release: await reread(id), created };
    },
    async update(orgId, version, patch, commits) {
      const row = await inTransaction(pool, async (client) => {
        const updated = await one(
          client,
          `UPDATE releases SET
             ref = CASE WHEN $1 THEN $2 ELSE ref END,
             url = CASE WHEN $3 THEN $4 ELSE url END,
             date_released = CASE WHEN $5 THEN $6::bigint ELSE date_released END,
             status = coalesce($7, status)
           WHERE org_id = $8 AND version = $9 RETURNING id`,
          [
            patch.ref !== undefined,
            patch.ref ?? null,
            patch.url !== undefined,
            patch.url ?? null,
            patch.dateReleased !== undefined,
            patch.dateReleased ?? null,
            patch.status ?? null,
            orgId,
            version,
          ],
        );
        if (updated && commits)
          await replaceCommits(client, Number(updated.id), commits.commits, commits.now);
        return updated;
      });
      return row ? reread(Number(row.id)) : null;
    },
    delete: (orgId, version) =>
      inTransaction(pool, async (client) => {
        const release = await one(
          client,
          'SELECT id FROM releases WHERE org_id = $1 AND version = $2 FOR UPDATE',
          [orgId, version],
        );
        if (!release) return 'missing' as const;
        const inUse = await one(
          client,
          `SELECT 1 FROM issues i JOIN projects p ON p.id = i.project_id
           WHERE p.org_id = $1 AND i.first_release = $2 LIMIT 1`,
          [orgId, version],
        );
        if (inUse) return 'in-use' as const;
        await client.query('DELETE FROM releases WHERE id = $1', [release.id]);
        return 'deleted' as const;
      }),
    setCommits: (releaseId, commits, now) =>
      inTransaction(pool, (client) => replaceCommits(client, releaseId, commits, now)),
  };

  const deploys: Pick<ReleasesStore['deploys'], 'create'> = {
    create: (input) =>
      inTransaction(pool, async (client) => {
        const row = (await one(
          client,
          `INSERT INTO deploys (release_id, environment, name, url, date_started, date_finished)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [input.releaseId, input.environment, input.name, input.url, input.dateStarted, input.dateFinished],
        ))!;
        await client.query(
          'INSERT INTO deploy_projects (deploy_id, project_id) SELECT $1, unnest($2::bigint[])',
          [row.id, input.projectIds],
        );
        // A deploy's environment is also an environment of each of its projects, as if an event named it.
        await client.query(
          `INSERT INTO environments (org_id, name, first_seen) VALUES ($1, $2, $3)
           ON CONFLICT (org_id, name) DO UPDATE SET first_seen = LEAST(environments.first_seen, excluded.first_seen)`,
          [input.orgId, input.environment, input.dateFinished],
        );
        await client.query(
          `INSERT INTO environment_projects (environment_id, project_id)
           SELECT e.id, unnest($3::bigint[]) FROM environments e WHERE e.org_id = $1 AND e.name = $2
           ON CONFLICT DO NOTHING`,
          [input.orgId, input.environment, input.projectIds],
        );
        return toDeploy({ ...row, project_ids: input.projectIds });
      }),
  };
  return { releases, deploys };
}

async function replaceCommits(
  client: PoolClient,
  releaseId: number,
  commits: NewCommit[],
  now: number,
): Promise<void> {
  const { org_id: orgId } = (await one(client, 'SELECT org_id FROM releases WHERE id = $1 FOR UPDATE', [
    releaseId,
  ]))!;
  await client.query(
    `INSERT INTO repositories (org_id, name, created_at) SELECT $1, unnest($2::text[]), $3
     ON CONFLICT (org_id, name) DO NOTHING`,
    [orgId, [...new Set(commits.map((c) => c.repository))].sort(), now],
  );
  // Commit rows are upserted in one global order so two releases sharing commits cannot deadlock.
  const ordered = [...commits].sort((a, b) => key(a).localeCompare(key(b)));
  const ids = new Map<string, number>();
  for (const commit of ordered) ids.set(key(commit), await upsertCommit(client, Number(orgId), commit, now));
  await client.query('DELETE FROM release_commits WHERE release_id = $1', [releaseId]);
  await client.query(
    `INSERT INTO release_commits (release_id, commit_id, position)
     SELECT $1, commit_id, position FROM unnest($2::bigint[], $3::int[]) AS t(commit_id, position)
     ON CONFLICT DO NOTHING`,
    [releaseId, commits.map((c) => ids.get(key(c))), commits.map((_, i) => i)],
  );
}

const key = (commit: NewCommit) => `${commit.repository}\0${commit.sha}`;

async function upsertCommit(
  client: PoolClient,
  orgId: number,
  commit: NewCommit,
  now: number,
): Promise<number> {
  const row = (await one(
    client,
    `INSERT INTO commits (repository_id, sha, message, author_name, author_email, date_created)
     SELECT id, $1, $2, $3, $4, $5 FROM repositories WHERE org_id = $6 AND name = $7
     ON CONFLICT (repository_id, sha) DO UPDATE SET
       message = coalesce(excluded.message, commits.message),
       author_name = coalesce(excluded.author_name, commits.author_name),
       author_email = coalesce(excluded.author_email, commits.author_email),
       date_created = CASE WHEN $8 THEN excluded.date_created ELSE commits.date_created END
     RETURNING id`,
    [
      commit.sha,
      commit.message,
      commit.authorName,
      commit.authorEmail,
      commit.dateCreated ?? now,
      orgId,
      commit.repository,
      commit.dateCreated !== null,
    ],
  ))!;
  if (commit.files) {
    await client.query('DELETE FROM commit_files WHERE commit_id = $1', [row.id]);
    await client.query(
      `INSERT INTO commit_files (commit_id, path, type) SELECT $1, * FROM unnest($2::text[], $3::text[])
       ON CONFLICT (commit_id, path) DO UPDATE SET type = excluded.type`,
      [row.id, commit.files.map((f) => f.path), commit.files.map((f) => f.type)],
    );
  }
  return Number(row.id);
}
