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
    for (const [index, migration] of SQLITE_MIGRATIONS.entries()) {
      const version = index + 1;
      const step = typeof migration === 'function';
      if (step) writer.db.exec('PRAGMA foreign_keys = OFF');
      try {
        await runInTransaction(writer, () => {
          const applied = writer.get('SELECT 1 AS applied FROM schema_migrations WHERE version = ?', version);
          if (applied) return;
          if (typeof migration === 'function') {
            migration(writer.db);
            const broken = writer.all('PRAGMA foreign_key_check');
            if (broken.length > 0)
              throw new Error(`migration ${version} left ${broken.length} broken foreign keys; rolled back`);
          } else {
            writer.db.exec(migration);
          }
          writer.run(
            'INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)',
            version,
            Date.now(),
          );
        });
      } finally {
        if (step) writer.db.exec('PRAGMA foreign_keys = ON');
      }
    }
  });
}
