import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Backend, createBenchDatabase, withClient } from './bench-database.ts';

/**
 * Where a query benchmark run keeps its data: a fresh temporary database (removed afterwards), a
 * named one created and kept (`--keep`), or one generated earlier (`--reuse`), since generating a
 * million events is the slow part. `--keep` and `--reuse` take a SQLite path or a postgres:// URL;
 * the backend follows from the value.
 */

export interface QueryDatabase {
  backend: Backend;
  url: string;
  /** Already holds a data set: skip generation. */
  reused: boolean;
  /** Left in place after the run (kept or reused). */
  kept: boolean;
  diskBytes(): Promise<number>;
  cleanup(): Promise<void>;
}

export function backendOf(location: string): Backend {
  return /^postgres(ql)?:\/\//.test(location) ? 'postgres' : 'sqlite';
}

export async function openQueryDatabase(
  backend: Backend,
  options: { keep: string[]; reuse: string[]; postgresAdminUrl: string },
): Promise<QueryDatabase> {
  const reuse = options.reuse.find((location) => backendOf(location) === backend);
  if (reuse) return existing(backend, reuse);
  const keep = options.keep.find((location) => backendOf(location) === backend);
  if (keep) return backend === 'sqlite' ? keptSqlite(keep) : keptPostgres(keep, options.postgresAdminUrl);
  const fresh = await createBenchDatabase(backend, options.postgresAdminUrl);
  return { backend, reused: false, kept: false, ...fresh };
}

function existing(backend: Backend, location: string): QueryDatabase {
  const url = backend === 'sqlite' ? sqliteUrl(location) : location;
  if (backend === 'sqlite' && !existsSync(url.slice('sqlite:'.length)))
    throw new Error(`--reuse ${location}: no such SQLite file`);
  return {
    backend,
    url,
    reused: true,
    kept: true,
    diskBytes: () => diskBytesOf(url),
    cleanup: async () => {},
  };
}

function keptSqlite(location: string): QueryDatabase {
  const url = sqliteUrl(location);
  if (existsSync(url.slice('sqlite:'.length)))
    throw new Error(`--keep ${location}: the file exists; pass --reuse ${location} to use it`);
  return {
    backend: 'sqlite',
    url,
    reused: false,
    kept: true,
    diskBytes: () => diskBytesOf(url),
    cleanup: async () => {},
  };
}

async function keptPostgres(location: string, adminUrl: string): Promise<QueryDatabase> {
  const name = new URL(location).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`--keep ${location}: name the database in lower_snake_case`);
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    backend: 'postgres',
    url: location,
    reused: false,
    kept: true,
    diskBytes: () => diskBytesOf(location),
    cleanup: async () => {},
  };
}

function sqliteUrl(location: string): string {
  const path = location.startsWith('sqlite:') ? location.slice('sqlite:'.length) : location;
  return `sqlite:${resolve(path)}`;
}

/** SQLite: the file plus its WAL; PostgreSQL: pg_database_size. */
export async function diskBytesOf(url: string): Promise<number> {
  if (backendOf(url) === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    return [file, `${file}-wal`].reduce((sum, path) => sum + (existsSync(path) ? statSync(path).size : 0), 0);
  }
  let bytes = 0;
  await withClient(url, async (client) => {
    const result = await client.query('SELECT pg_database_size(current_database()) AS bytes');
    bytes = Number(result.rows[0].bytes);
  });
  return bytes;
}

/**
 * PostgreSQL keeps planner statistics and reclaims dead rows through autovacuum. The bench writes
 * far faster than autovacuum's one-minute nap would follow on a loaded instance, and test
 * instances often run with it off; this is what autovacuum would have done by the time anyone
 * queries the data.
 */
export async function vacuumAnalyze(url: string): Promise<void> {
  await withClient(url, (client) => client.query('VACUUM (ANALYZE)'));
}

export async function autovacuumEnabled(url: string): Promise<boolean> {
  let enabled = false;
  await withClient(url, async (client) => {
    enabled = (await client.query('SHOW autovacuum')).rows[0].autovacuum === 'on';
  });
  return enabled;
}
