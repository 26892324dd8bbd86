import type { CustomTypesConfig, PoolClient, QueryResultRow } from 'pg';
import pg from 'pg';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Ids and epoch-ms times are int8 columns, and sum() over int8 is numeric; both come back as JS
 * numbers (safe below 2^53). Set per pool rather than on pg's global registry so nothing else
 * in the process is affected.
 */
const types: CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as CustomTypesConfig['getTypeParser'],
};

const STATEMENT_TIMEOUT_MS = 30_000;
/** A server that accepts the connection but never answers must not hang startup or a request. */
const CONNECT_TIMEOUT_MS = 10_000;

export function createPool(connectionString: string): pg.Pool {
  // A runaway query (a Discover over months, a pathological search) is cancelled by the server
  // instead of holding a connection and its locks indefinitely.
  const pool = new pg.Pool({
    connectionString,
    types,
    max: 10,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its connection (server restart, network) emits 'error' on the pool;
  // the pool has already discarded that client and the next query opens a new one, so there is
  // nothing to do, but an unhandled 'error' event would end the process.
  pool.on('error', () => {});
  return pool;
}

/** Anything that runs queries: the pool or one checked-out client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<R>>;
}

export type Row = Record<string, unknown>;

export async function rows<R extends QueryResultRow = Row>(
  db: Queryable,
  sql: string,
  params: unknown[] = [],
) {
  return (await db.query<R>(sql, params)).rows;
}

export async function one<R extends QueryResultRow = Row>(
  db: Queryable,
  sql: string,
  params: unknown[] = [],
): Promise<R | undefined> {
  return (await db.query<R>(sql, params)).rows[0];
}

/** Runs fn on one client inside BEGIN … COMMIT, rolling back on a throw. */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    // A client whose ROLLBACK fails is in an unknown state: destroy it instead of pooling it.
    await client.query('ROLLBACK').then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }
}
