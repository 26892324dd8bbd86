import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';

/**
 * Runs SQL on a test database behind the store's back, to damage rows as a disk or a hand might,
 * or to replay a migration. With no parameters the text may hold several statements.
 */
export async function rawSql(url: string, sql: string, params: (string | number)[] = []): Promise<void> {
  if (url.startsWith('sqlite:')) {
    const db = new DatabaseSync(url.slice('sqlite:'.length));
    try {
      if (params.length === 0) db.exec(sql);
      else db.prepare(sql.replace(/\$\d+/g, '?')).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // Parameters send one statement (the extended protocol); without, several may go at once.
    if (params.length === 0) await client.query(sql);
    else await client.query(sql, params);
  } finally {
    await client.end();
  }
}
