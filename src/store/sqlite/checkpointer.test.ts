import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openSqlite } from './connection.ts';

const dir = mkdtempSync(join(tmpdir(), 'firebreak-checkpointer-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the checkpointer thread copies committed WAL frames into the database file; close stops it', async () => {
  const path = join(dir, 'checkpoint.db');
  const handles = openSqlite(path, 'NORMAL');
  handles.writer.db.exec('CREATE TABLE pad (body TEXT)');
  const before = statSync(path).size;
  for (let i = 0; i < 200; i++) handles.writer.run('INSERT INTO pad (body) VALUES (?)', 'x'.repeat(4000));
  // The writer's own autocheckpoint is off, so only the thread can grow the database file.
  const deadline = Date.now() + 10_000;
  while (statSync(path).size < before + 200 * 4000 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(
    statSync(path).size >= before + 200 * 4000,
    `database file stayed at ${statSync(path).size} bytes`,
  );
  await handles.close();
  assert.throws(() => handles.writer.db.exec('SELECT 1'), /not open/);
});
