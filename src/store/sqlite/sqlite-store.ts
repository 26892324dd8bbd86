import type { Store } from '../types.ts';
import { createAccounts } from './accounts.ts';
import { createAlerts } from './alerts.ts';
import { createAudit } from './audit.ts';
import { openSqlite, type SqliteSynchronous, writeTransaction } from './connection.ts';
import { createEventQueries } from './event-queries.ts';
import { createIncidents } from './incidents.ts';
import { createIngestTx } from './ingest-tx.ts';
import { createIssueQueries } from './issue-queries.ts';
import { createIssueWorkflowReads } from './issue-workflow.ts';
import { createIssueWrites } from './issue-writes.ts';
import { migrateSqlite } from './migrate.ts';
import { createNotifications } from './notifications.ts';
import { createPostmortems } from './postmortems.ts';
import { createReleaseQueries } from './releases.ts';
import { createRetention } from './retention.ts';
import { createRunbooks } from './runbooks.ts';

export interface SqliteStoreOptions {
  synchronous?: SqliteSynchronous;
}

/** A Store on one SQLite file (or ':memory:'); call migrate() before use. */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  const handles = openSqlite(path, options.synchronous ?? 'NORMAL');
  const tx = createIngestTx(handles.writer);
  let closing: Promise<void> | undefined;
  return {
    backend: 'sqlite',
    migrate: () => migrateSqlite(handles),
    close() {
      closing ??= handles.writeLock.drain().then(() => handles.close());
      return closing;
    },
    ...createAccounts(handles),
    ...createAudit(handles),
    ...createIncidents(handles),
    ...createPostmortems(handles),
    ...createAlerts(handles),
    ...createRunbooks(handles),
    ...createNotifications(handles),
    ingestWrite: (fn) => writeTransaction(handles, () => fn(tx)),
    issues: {
      ...createIssueQueries(handles.reader),
      ...createIssueWorkflowReads(handles.reader),
      ...createIssueWrites(handles),
    },
    ...createEventQueries(handles.reader),
    ...createReleaseQueries(handles),
    retention: createRetention(handles),
  };
}
