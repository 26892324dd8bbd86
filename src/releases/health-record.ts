import type { Store } from '../store/types.ts';
import type { SessionBatch } from './health-parse.ts';

/** Releases this process already made sure of; bounded, forgotten wholesale when full. */
const MAX_KNOWN = 10_000;

/**
 * Sessions name releases that may not exist yet (an app that reports no error and is not
 * released through CI): like Sentry, a release's first session creates it and links the project.
 * Created as the API creates releases, so its first and last *event* stay unknown. `known`
 * spares the write for releases seen before.
 */
export async function ensureSessionReleases(
  store: Store,
  batches: SessionBatch[],
  known: Set<string>,
  now: number,
) {
  const wanted = new Map<string, { orgId: number; version: string; projectId: number }>();
  for (const batch of batches) {
    for (const row of [...batch.updates, ...batch.aggregates]) {
      const key = `${row.projectId}\0${row.release}`;
      if (!known.has(key))
        wanted.set(key, { orgId: batch.orgId, version: row.release, projectId: row.projectId });
    }
  }
  for (const [key, release] of wanted) {
    await store.releases.create({
      orgId: release.orgId,
      version: release.version,
      projectIds: [release.projectId],
      ref: null,
      url: null,
      dateStarted: null,
      dateReleased: null,
      status: null,
      now,
    });
    if (known.size >= MAX_KNOWN) known.clear();
    known.add(key);
  }
}
