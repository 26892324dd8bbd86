import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '../src/store/open-store.ts';

/** A fresh database per run: a temp SQLite file, or a PostgreSQL database dropped afterwards. */

export type Backend = 'sqlite' | 'postgres';

export interface BenchDatabase {
  url: string;
  /** SQLite: the file plus its WAL; PostgreSQL: pg_database_size. */
  diskBytes(): Promise<number>;
  cleanup(): Promise<void>;
}

export async function createBenchDatabase(
  backend: Backend,
  postgresAdminUrl: string,
): Promise<BenchDatabase> {
  return backend === 'sqlite' ? createSqlite() : createPostgres(postgresAdminUrl);
}

function createSqlite(): BenchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-'));
  const file = join(dir, 'bench.db');
  return {
    url: `sqlite:${file}`,
    diskBytes: async () =>
      [file, `${file}-wal`].reduce((sum, path) => sum + (existsSync(path) ? statSync(path).size : 0), 0),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function createPostgres(adminUrl: string): Promise<BenchDatabase> {
  const name = `firebreak_bench_${randomBytes(6).toString('hex')}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    diskBytes: async () => {
      let bytes = 0;
      await withClient(adminUrl, async (client) => {
        const result = await client.query('SELECT pg_database_size($1) AS bytes', [name]);
        bytes = Number(result.rows[0].bytes);
      });
      return bytes;
    },
    cleanup: () =>
      withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** Runs fn on a short-lived client (administrative statements of the benchmarks). */
export async function withClient(url: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

export interface StoredCounts {
  events: number;
  issues: number;
}

/** Counts what was committed, through the product's own store. */
export async function countStored(databaseUrl: string, projectId: number): Promise<StoredCounts> {
  const store = await openStore(databaseUrl);
  try {
    const project = await store.projects.getById(projectId);
    if (!project) throw new Error(`project ${projectId} not found`);
    const events = await store.events.countForProject(projectId);
    let issues = 0;
    let cursor: string | undefined;
    do {
      const page = await store.issues.list({
        orgId: project.orgId,
        projectIds: [projectId],
        sort: 'date',
        limit: 100,
        cursor,
      });
      issues += page.issues.length;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return { events, issues };
  } finally {
    await store.close();
  }
}
