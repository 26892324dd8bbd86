import type { Store } from '../types.ts';
import { createAccounts } from './accounts.ts';
import { createEventQueries } from './event-queries.ts';
import { createIngestTx } from './ingest-tx.ts';
import { createIssueQueries } from './issue-queries.ts';
import { migratePostgres } from './migrate.ts';
import { createPool, inTransaction } from './pool.ts';
import { createRetention } from './retention.ts';

/** A Store on a PostgreSQL connection pool; call migrate() before use. */
export function openPostgresStore(connectionString: string): Store {
  const pool = createPool(connectionString);
  let closing: Promise<void> | undefined;
  return {
    backend: 'postgres',
    migrate: () => migratePostgres(pool),
    close: () => {
      closing ??= pool.end();
      return closing;
    },
    ...createAccounts(pool),
    ingestWrite: (fn) => inTransaction(pool, (client) => fn(createIngestTx(client))),
    issues: createIssueQueries(pool),
    ...createEventQueries(pool),
    retention: createRetention(pool),
  };
}
