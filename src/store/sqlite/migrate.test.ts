import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { test } from 'node:test';
import { createAlertSignals } from './alerts-signals.ts';
import { openSqlite } from './connection.ts';
import { migrateSqlite } from './migrate.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';

const VERSION_BEFORE_AUTOINCREMENT = 14;

/** A database as version 14 left it, with rows, and the newest issue deleted. */
function databaseAtVersion14(path: string): void {
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  for (const [index, migration] of SQLITE_MIGRATIONS.slice(0, VERSION_BEFORE_AUTOINCREMENT).entries()) {
    assert.equal(typeof migration, 'string');
    db.exec(migration as string);
    db.prepare('INSERT INTO schema_migrations VALUES (?, 0)').run(index + 1);
  }
  db.exec(`
    INSERT INTO orgs (slug, name, created_at) VALUES ('acme', 'Acme', 0);
    INSERT INTO projects (org_id, slug, name, created_at) VALUES (1, 'web', 'web', 0);
  `);
  const issue = db.prepare(
    `INSERT INTO issues (project_id, short_id_number, title, culprit, type, metadata, level, first_seen, last_seen, grouping_version)
     VALUES (1, ?, ?, '', 'error', '{}', 'error', 0, 0, 'v1')`,
  );
  for (const n of [1, 2, 3]) issue.run(n, `issue ${n}`);
  db.exec(`
    INSERT INTO issue_activities (issue_id, type, data, actor, created_at) VALUES (2, 'note', '{}', 'system', 0);
    DELETE FROM issues WHERE id = 3;
  `);
  db.close();
}

test('migration 15: ids of deleted rows are never given again, and every row and index survives', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-migrate-'));
  const path = join(dir, 'db.sqlite');
  try {
    databaseAtVersion14(path);
    const indexesBefore = new DatabaseSync(path)
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'issues' ORDER BY name")
      .all();
    const h = openSqlite(path, 'NORMAL');
    try {
      await migrateSqlite(h);
      const db = h.writer;
      assert.deepEqual(
        db.all(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'issues' AND name != 'issues_project_created_at' ORDER BY name",
        ),
        indexesBefore,
      );
      assert.deepEqual(
        db
          .all<{ id: number; title: string }>('SELECT id, title FROM issues ORDER BY id')
          .map((r) => ({ ...r })),
        [
          { id: 1, title: 'issue 1' },
          { id: 2, title: 'issue 2' },
        ],
      );
      assert.equal(db.all('PRAGMA foreign_key_check').length, 0);
      // Migration 17: issues from before it were created, as far as anyone knows, when first seen.
      assert.equal(db.all('SELECT id FROM issues WHERE created_at IS NOT first_seen').length, 0);
      assert.match(
        String(db.get<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'issues'")?.sql),
        /AUTOINCREMENT/,
      );

      // The id deleted before the migration cannot be known; from now on none comes back.
      const insert = () =>
        Number(
          db.run(
            `INSERT INTO issues (project_id, short_id_number, title, culprit, type, metadata, level, first_seen, last_seen, grouping_version)
             VALUES (1, 9, 'new', '', 'error', '{}', 'error', 0, 0, 'v1')`,
          ) && db.get<{ id: number }>('SELECT max(id) AS id FROM issues')?.id,
        );
      const third = insert();
      db.run('DELETE FROM issues WHERE id = ?', third);
      const fourth = insert();
      assert.equal(fourth, third + 1);
      // Written as a server before migration 17 writes it (no created_at, a rolling upgrade):
      // new-issue rules still find it, by its first seen.
      const found = await createAlertSignals(db).newIssues({ projectIds: [1], since: 0, by: 'createdAt' });
      assert.deepEqual(
        found.filter((i) => i.issueId === fourth).map((i) => i.createdAt),
        [0],
      );
      // Foreign keys are enforced again, and deleting an issue still cascades to its rows.
      assert.throws(() =>
        db.run(
          'INSERT INTO issue_activities (issue_id, type, data, actor, created_at) VALUES (999, ?, ?, ?, 0)',
          'note',
          '{}',
          'x',
        ),
      );
      db.run('DELETE FROM issues WHERE id = 2');
      assert.equal(db.get<{ n: number }>('SELECT count(*) AS n FROM issue_activities')?.n, 0);
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
