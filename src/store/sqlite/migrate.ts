import type { SqliteHandles } from './connection.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';

/**
 * Applies pending migrations, each in its own BEGIN IMMEDIATE transaction so a second process
 * starting at the same moment waits and then sees the version already recorded.
 */
export async function migrateSqlite(handles: SqliteHandles): Promise<void> {
  await handles.writeLock.run(() => {
    const { writer } = handles;
    writer.db.exec(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
    );
    for (const [index, sql] of SQLITE_MIGRATIONS.entries()) {
      const version = index + 1;
      writer.db.exec('BEGIN IMMEDIATE');
      try {
        const applied = writer.get('SELECT 1 AS applied FROM schema_migrations WHERE version = ?', version);
        if (!applied) {
          writer.db.exec(sql);
          writer.run(
            'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
            version,
            Date.now(),
          );
        }
        writer.db.exec('COMMIT');
      } catch (error) {
        if (writer.db.isTransaction) writer.db.exec('ROLLBACK');
        throw error;
      }
    }
  });
}
