import { AppError } from '../app-error.ts';
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './types.ts';

export interface OpenStoreOptions {
  /** SQLite only: NORMAL (default) or FULL (fsync on every commit). */
  synchronous?: 'NORMAL' | 'FULL';
}

/**
 * Opens the store a database URL names, without migrating it (the caller runs migrate()):
 * `sqlite:PATH` (relative to the working directory, or `sqlite::memory:`), a bare path ending
 * in `.db`, or `postgres://` / `postgresql://`.
 */
export async function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<Store> {
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
    // Imported only here: a server on SQLite need not load `pg` and the PostgreSQL store (measured
    // ~2 MB of an idle server's resident memory, and the time to load ~80 modules).
    const { openPostgresStore } = await import('./postgres/postgres-store.ts');
    return openPostgresStore(databaseUrl);
  }
  if (databaseUrl.startsWith('sqlite:')) {
    const path = databaseUrl.slice('sqlite:'.length);
    if (path === '')
      throw new AppError('VALIDATION', 'database URL "sqlite:" names no file; use sqlite:PATH');
    return openSqliteStore(path, options);
  }
  if (!databaseUrl.includes('://') && databaseUrl.endsWith('.db')) {
    return openSqliteStore(databaseUrl, options);
  }
  throw new AppError(
    'VALIDATION',
    `unsupported database URL scheme "${describeScheme(databaseUrl)}": use sqlite:PATH, a path ending in .db, ` +
      'postgres:// or postgresql://',
  );
}

/** Names only the scheme, never the rest: a URL can carry a password. */
function describeScheme(databaseUrl: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(databaseUrl);
  return match ? `${match[1]}:` : '(none)';
}
