import type { ReleasesStore } from '../types-releases.ts';
import type { SqliteHandles } from './connection.ts';
import { createReleaseReads } from './releases-read.ts';
import { createReleaseWrites } from './releases-write.ts';

type Row = Record<string, unknown>;

/** A release created through the API with no event yet counts as seen when it was created. */
const SEEN = `CASE WHEN r.last_seen >= r.first_seen THEN r.first_seen ELSE r.date_created END AS first_seen,
  CASE WHEN r.last_seen >= r.first_seen THEN r.last_seen ELSE r.date_created END AS last_seen`;

/** Releases, repositories, commits, deploys and environments on SQLite: reads on the reader, writes under the lock. */
export function createReleaseQueries(h: SqliteHandles): ReleasesStore {
  const db = h.reader;
  const reads = createReleaseReads(db);
  const writes = createReleaseWrites(h);
  return {
    releases: {
      ...reads.releases,
      ...writes.releases,
      async listByProject(projectId) {
        return db
          .all<Row>(
            `SELECT r.version, ${SEEN} FROM releases r
             JOIN release_projects rp ON rp.release_id = r.id
             WHERE rp.project_id = ? ORDER BY first_seen DESC, r.id DESC`,
            projectId,
          )
          .map((row) => ({
            version: String(row.version),
            firstSeen: Number(row.first_seen),
            lastSeen: Number(row.last_seen),
          }));
      },
    },
    repositories: reads.repositories,
    deploys: { ...reads.deploys, ...writes.deploys },
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
