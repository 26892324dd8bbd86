import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openSqlite, writeTransaction } from './connection.ts';
import { walRestarts } from './wal-header.ts';
import { GATE } from './wal-restart.ts';

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

test('under a steady stream of commits the WAL starts over instead of growing', async () => {
  const path = join(dir, 'restart.db');
  // A short tick and a small WAL limit, so a second of writing spans many restarts.
  const handles = openSqlite(path, 'NORMAL', { intervalMs: 20, restartAfterFrames: 100 });
  handles.writer.db.exec('CREATE TABLE pad (body TEXT)');
  const row = 'x'.repeat(4000);
  let rows = 0;
  let largestWal = 0;
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline) {
    await writeTransaction(handles, (db) => {
      for (let i = 0; i < 4; i++) db.run('INSERT INTO pad (body) VALUES (?)', row);
    });
    rows += 4;
    largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    // A commit a millisecond or so, the event loop turning in between, as in a busy server.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  // Without restarts the WAL never starts over and holds at least every row written. How often
  // it starts over depends on how much CPU the checkpointer thread gets (the full suite loads
  // both cores): counted, not timed.
  const restarts = walRestarts(path);
  const written = rows * row.length;
  assert.ok(restarts >= 2, `the WAL started over ${restarts} times in ${rows} rows`);
  assert.ok(written > largestWal, `${rows} rows written (${written} bytes), WAL reached ${largestWal} bytes`);
  assert.equal(handles.reader.get<{ n: number }>('SELECT count(*) AS n FROM pad')?.n, rows);
  await handles.close();
});

test('a writer asked to pause goes on when no checkpoint ends the pause', async () => {
  // In memory there is no checkpointer thread to run the last pass and reopen the gate.
  const handles = openSqlite(':memory:', 'NORMAL');
  handles.writer.db.exec('CREATE TABLE t (n INTEGER)');
  Atomics.store(handles.walRestart.state, 0, GATE.pauseWanted);
  await writeTransaction(handles, (db) => db.run('INSERT INTO t (n) VALUES (1)'));
  assert.equal(handles.writer.get<{ n: number }>('SELECT count(*) AS n FROM t')?.n, 1);
  assert.equal(Atomics.load(handles.walRestart.state, 0), GATE.open);
  await handles.close();
});
