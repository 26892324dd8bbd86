import type { Store } from '../types.ts';
import { createAccounts } from './accounts.ts';
import { createAlerts } from './alerts.ts';
import { createAudit } from './audit.ts';
import { createEventQueries } from './event-queries.ts';
import { createIncidents } from './incidents.ts';
import { createIngestTx } from './ingest-tx.ts';
import { createIssueQueries } from './issue-queries.ts';
import { createIssueWorkflowReads } from './issue-workflow.ts';
import { createIssueWrites } from './issue-writes.ts';
import { migratePostgres } from './migrate.ts';
import { createNotifications } from './notifications.ts';
import { createPool, inTransaction } from './pool.ts';
import { createPostmortems } from './postmortems.ts';
import { createReleaseQueries } from './releases.ts';
import { createRetention } from './retention.ts';
import { createRunbooks } from './runbooks.ts';

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
    ...createAudit(pool),
    ...createIncidents(pool),
    ...createPostmortems(pool),
    ...createAlerts(pool),
    ...createRunbooks(pool),
    ...createNotifications(pool),
    ingestWrite: (fn) =>
      withDeadlockRetry(() =>
        inTransaction(pool, async (client) => {
          const tx = createIngestTx(client);
          const result = await fn(tx);
          await tx.flushWrites();
          return result;
        }),
      ),
    issues: { ...createIssueQueries(pool), ...createIssueWorkflowReads(pool), ...createIssueWrites(pool) },
    ...createEventQueries(pool),
    ...createReleaseQueries(pool),
    retention: createRetention(pool),
  };
}

const DEADLOCK_DETECTED = '40P01';
const SERIALIZATION_FAILURE = '40001';
const MAX_ATTEMPTS = 3;

/**
 * Ingest transactions lock issue rows (findIssuesByHashes) and then the project row (the
 * short-id counter in createIssue); two nodes racing on a brand-new issue can therefore
 * deadlock. PostgreSQL aborts one of them, and nothing of it was committed, so it is re-run.
 */
async function withDeadlockRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: string }).code;
      const retryable = code === DEADLOCK_DETECTED || code === SERIALIZATION_FAILURE;
      if (!retryable || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
