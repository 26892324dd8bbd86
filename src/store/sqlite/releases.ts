import type { Store } from '../types.ts';
import type { SqliteConnection } from './connection.ts';

type Row = Record<string, unknown>;

/** Releases and environments seen by ingest (and, with the Web API, created by clients). */
export function createReleaseQueries(db: SqliteConnection): Pick<Store, 'releases' | 'environments'> {
  return {
    releases: {
      async listByProject(projectId) {
        return db
          .all<Row>(
            `SELECT r.version, r.first_seen, r.last_seen FROM releases r
             JOIN release_projects rp ON rp.release_id = r.id
             WHERE rp.project_id = ? ORDER BY r.first_seen DESC, r.id DESC`,
            projectId,
          )
          .map((row) => ({
            version: String(row.version),
            firstSeen: Number(row.first_seen),
            lastSeen: Number(row.last_seen),
          }));
      },
    },
    environments: {
      async listByProject(projectId) {
        return db
          .all<Row>(
            `SELECT e.name FROM environments e JOIN environment_projects ep ON ep.environment_id = e.id
             WHERE ep.project_id = ? ORDER BY e.name`,
            projectId,
          )
          .map((row) => String(row.name));
      },
    },
  };
}
