import { runInTransaction, type SqliteHandles } from './connection.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';

/**
 * Applies pending migrations, each in its own BEGIN IMMEDIATE transaction so a second process
 * starting at the same moment waits and then sees the version already recorded.
 */
export async function migrateSqlite(handles: SqliteHandles): Promise<void> {
  await handles.writeLock.run(async () => {
    const { writer } = handles;
    writer.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
    );
    for (const [index, sql] of SQLITE_MIGRATIONS.entries()) {
      const version = index + 1;
      await runInTransaction(writer, () => {
        const applied = writer.get('SELECT 1 AS applied FROM schema_migrations WHERE version = ?', version);
        if (applied) return;
        writer.db.exec(sql);
        writer.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', version, Date.now());
      });
    }
  });
}
