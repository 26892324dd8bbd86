import type { DatabaseSync } from 'node:sqlite';

/**
 * Tables whose ids are seen outside the database (URLs, the audit log, links in notifications,
 * tokens and targets named by id) and whose rows can be deleted. Without AUTOINCREMENT, SQLite
 * gives a new row the largest id in the table plus one, so deleting the newest issue handed its
 * id to the next issue: the audit log's `issue.delete` row and old links then named another issue
 * (PostgreSQL's identity columns never reuse an id). Internal, append-mostly tables (events,
 * activities, timeline entries, deliveries, deferred counter batches) keep the cheaper rowid.
 */
const TABLES = [
  'orgs',
  'projects',
  'project_keys',
  'users',
  'api_tokens',
  'issues',
  'releases',
  'teams',
  'repositories',
  'deploys',
  'incidents',
  'postmortems',
  'action_items',
  'alert_rules',
  'runbooks',
  'notification_targets',
];

const ROWID_PRIMARY_KEY = /\bid INTEGER PRIMARY KEY\b(?! AUTOINCREMENT)/;

/**
 * Rebuilds each table with `id INTEGER PRIMARY KEY AUTOINCREMENT` (SQLite's documented
 * procedure: create the new table, copy, drop the old, rename, recreate its indexes). The new
 * table's definition is the old one's as SQLite holds it, columns added since included, so
 * `SELECT *` copies every column in place; copying explicit ids seeds sqlite_sequence with the
 * largest. Runs with foreign keys off (the runner's job), or dropping a table would cascade.
 */
export function migration0015IdsNeverReused(db: DatabaseSync): void {
  for (const table of TABLES) {
    const definition = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(table) as { sql: string } | undefined;
    if (!definition || !ROWID_PRIMARY_KEY.test(definition.sql)) continue;
    const rebuilt = `${table}__autoincrement`;
    const create = definition.sql
      .replace(/^CREATE TABLE\s+("?)(\w+)\1/, `CREATE TABLE ${rebuilt}`)
      .replace(ROWID_PRIMARY_KEY, 'id INTEGER PRIMARY KEY AUTOINCREMENT');
    const indexes = db
      .prepare(
        "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL",
      )
      .all(table) as { sql: string }[];
    db.exec(create);
    db.exec(`INSERT INTO ${rebuilt} SELECT * FROM ${table}`);
    db.exec(`DROP TABLE ${table}`);
    db.exec(`ALTER TABLE ${rebuilt} RENAME TO ${table}`);
    for (const index of indexes) db.exec(index.sql);
  }
}
