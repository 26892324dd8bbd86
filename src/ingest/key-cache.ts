import type { Project, ProjectKey, Store } from '../store/types.ts';

interface Entry {
  key: ProjectKey;
  project: Project;
  expires: number;
}

/**
 * Looks up DSN keys with their project on the ingest hot path. Hits are cached briefly so a
 * burst does not cost a query per request; misses are not cached, so a new key works at once.
 * A key disabled elsewhere stops working within TTL_MS (the keys API calls forget() locally).
 */
export class KeyCache {
  private static readonly TTL_MS = 5_000;
  private static readonly MAX_ENTRIES = 10_000;
  private entries = new Map<string, Entry>();
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  async get(publicKey: string, now: number): Promise<{ key: ProjectKey; project: Project } | null> {
    const hit = this.entries.get(publicKey);
    if (hit && hit.expires > now) return hit;
    const key = await this.store.keys.getByPublicKey(publicKey);
    if (!key) return null;
    const project = await this.store.projects.getById(key.projectId);
    if (!project) return null;
    if (this.entries.size >= KeyCache.MAX_ENTRIES) this.entries.clear();
    const entry = { key, project, expires: now + KeyCache.TTL_MS };
    this.entries.set(publicKey, entry);
    return entry;
  }

  forget(publicKey: string): void {
    this.entries.delete(publicKey);
  }
}
