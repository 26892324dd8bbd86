import type pg from 'pg';
import type { ReleasesStore } from '../types-releases.ts';
import { rows } from './pool.ts';
import { createReleaseReads } from './releases-read.ts';
import { createReleaseWrites } from './releases-write.ts';

/** A release created through the API with no event yet counts as seen when it was created. */
const SEEN = `CASE WHEN r.last_seen >= r.first_seen THEN r.first_seen ELSE r.date_created END AS first_seen,
  CASE WHEN r.last_seen >= r.first_seen THEN r.last_seen ELSE r.date_created END AS last_seen`;

/** Releases, repositories, commits, deploys and environments on PostgreSQL. */
export function createReleaseQueries(pool: pg.Pool): ReleasesStore {
  const reads = createReleaseReads(pool);
  const writes = createReleaseWrites(pool);
  return {
    releases: {
      ...reads.releases,
      ...writes.releases,
      async listByProject(projectId) {
        const found = await rows<{ version: string; first_seen: number; last_seen: number }>(
          pool,
          `SELECT r.version, ${SEEN} FROM releases r
           JOIN release_projects rp ON rp.release_id = r.id
           WHERE rp.project_id = $1 ORDER BY first_seen DESC, r.id DESC`,
          [projectId],
        );
        return found.map((row) => ({
          version: row.version,
          firstSeen: row.first_seen,
          lastSeen: row.last_seen,
        }));
      },
    },
    repositories: reads.repositories,
    deploys: { ...reads.deploys, ...writes.deploys },
    environments: {
      async listByProject(projectId) {
        const found = await rows<{ name: string }>(
          pool,
          `SELECT e.name FROM environments e JOIN environment_projects ep ON ep.environment_id = e.id
           WHERE ep.project_id = $1 ORDER BY e.name COLLATE "C"`,
          [projectId],
        );
        return found.map((row) => row.name);
      },
    },
  };
}
