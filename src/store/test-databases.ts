import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from './open-store.ts';
import type { Store } from './types.ts';

/**
 * Real databases for tests: a temp SQLite file, or a fresh PostgreSQL database created through
 * the `test` database (FIREBREAK_TEST_POSTGRES_URL overrides its URL) and dropped afterwards.
 */
export interface TestDatabase {
  url: string;
  cleanup(): Promise<void>;
}

export interface OpenedTestStore extends TestDatabase {
  /** Already migrated; cleanup() closes it (close() is idempotent) and removes the database. */
  store: Store;
}

export interface TestBackend {
  name: 'sqlite' | 'postgres';
  createDatabase(): Promise<TestDatabase>;
  open(): Promise<OpenedTestStore>;
}

const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const START_POSTGRES_HINT = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

export function testBackends(): TestBackend[] {
  return [backend('sqlite', createSqliteTestDatabase), backend('postgres', createPostgresTestDatabase)];
}

function backend(name: TestBackend['name'], createDatabase: () => Promise<TestDatabase>): TestBackend {
  return {
    name,
    createDatabase,
    async open() {
      const database = await createDatabase();
      const store = await openStore(database.url);
      await store.migrate();
      return {
        store,
        url: database.url,
        async cleanup() {
          await store.close();
          await database.cleanup();
        },
      };
    },
  };
}

export async function createSqliteTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-test-'));
  return {
    url: `sqlite:${join(dir, 'store.db')}`,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.FIREBREAK_TEST_POSTGRES_URL ?? DEFAULT_POSTGRES_URL;
  const name = `firebreak_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    cleanup: () =>
      withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdminClient(adminUrl: string, fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL for tests is unreachable at ${new URL(adminUrl).host} (${(error as Error).message}). ` +
        `Start it with: ${START_POSTGRES_HINT} (or set FIREBREAK_TEST_POSTGRES_URL).`,
      { cause: error },
    );
  }
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
