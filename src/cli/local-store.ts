import { existsSync } from 'node:fs';
import { AppError } from '../app-error.ts';
import { type Config, loadConfig } from '../config/config.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/types.ts';

/** The flags serve, setup and the account commands share. */
export interface DatabaseFlags {
  database?: string;
  host?: string;
  port?: string;
  'public-url'?: string;
}

/** Config from those flags and the environment (the only place the CLI reads the environment). */
export function configFromFlags(values: DatabaseFlags): Config {
  return loadConfig(
    { databaseUrl: values.database, host: values.host, port: values.port, publicUrl: values['public-url'] },
    process.env,
  );
}

/** Opens the configured database, migrates it, runs `fn`, and always closes it. */
export async function withLocalStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(config.databaseUrl, { synchronous: config.sqliteSynchronous });
  try {
    await store.migrate();
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * For commands that manage what is already there (users, tokens): a SQLite file that does not
 * exist is a mistyped path, refused rather than created empty (it would hold tokens no server reads).
 */
export function requireExistingDatabase({ databaseUrl }: Config): void {
  const path = databaseUrl.startsWith('sqlite:')
    ? databaseUrl.slice('sqlite:'.length)
    : !databaseUrl.includes('://') && databaseUrl.endsWith('.db')
      ? databaseUrl
      : null;
  if (path === null || path === '' || path === ':memory:' || existsSync(path)) return;
  throw new AppError(
    'NOT_FOUND',
    `no Firebreak database at ${path} (give the one the server uses with --database, or create it with firebreak setup)`,
  );
}
