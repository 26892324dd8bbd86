import type pg from 'pg';
import { AppError } from '../../app-error.ts';
import { POSTGRES_MIGRATIONS } from './migrations.ts';

/** Arbitrary fixed key; every Firebreak process migrating the same database contends on it. */
const MIGRATION_LOCK_KEY = 0x4649_5245; // 'FIRE'

/**
 * Applies pending migrations under a session advisory lock, so processes starting together
 * take turns and the later ones find nothing left to do. Each migration commits with its
 * version row.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await connectOrExplain(pool);
  let failure: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)',
      );
      const applied = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
          (row) => row.version,
        ),
      );
      for (const [index, sql] of POSTGRES_MIGRATIONS.entries()) {
        const version = index + 1;
        if (applied.has(version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [
            version,
            Date.now(),
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } catch (error) {
    failure = error as Error;
    throw error;
  } finally {
    client.release(failure);
  }
}

/**
 * The first connection a process makes: one that fails is the operator's to fix (server down,
 * wrong host or port, no such database), so it is said in one line, naming where, never the
 * URL (it can carry a password).
 */
async function connectOrExplain(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    const where = describeServer(String(pool.options.connectionString ?? ''));
    // A system error's code (ECONNREFUSED, ENOTFOUND) says it; PostgreSQL's own errors say it in words.
    const code = (error as { code?: string }).code;
    const reason = code?.startsWith('E') ? code : (error as Error).message;
    throw new AppError('UNAVAILABLE', `cannot reach PostgreSQL at ${where}: ${reason}`, { cause: error });
  }
}

/** `host:port/database` of a postgres:// URL, without its user or password. */
function describeServer(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname.length > 1 ? url.pathname : ''}`;
  } catch {
    return 'the configured server';
  }
}
