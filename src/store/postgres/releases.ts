import type pg from 'pg';
import type { Store } from '../types.ts';
import { one, rows } from './pool.ts';

/** Releases and environments seen by ingest (and, with the Web API, created by clients). */
export function createReleaseQueries(pool: pg.Pool): Pick<Store, 'releases' | 'environments'> {
  return {
    releases: {
      async listByProject(projectId) {
        const found = await rows<{ version: string; first_seen: number; last_seen: number }>(
          pool,
          `SELECT r.version, r.first_seen, r.last_seen FROM releases r
           JOIN release_projects rp ON rp.release_id = r.id
           WHERE rp.project_id = $1 ORDER BY r.first_seen DESC, r.id DESC`,
          [projectId],
        );
        return found.map((row) => ({
          version: row.version,
          firstSeen: row.first_seen,
          lastSeen: row.last_seen,
        }));
      },
    },
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
