import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
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

test('under a steady stream of commits the writer pauses for the checkpointer and the WAL starts over', async () => {
  const path = join(dir, 'restart.db');
  // A short tick and a small WAL limit, so the WAL starts over within a fraction of a second.
  const handles = openSqlite(path, 'NORMAL', { intervalMs: 20, restartAfterFrames: 100 });
  handles.writer.db.exec('CREATE TABLE pad (body TEXT)');
  const row = 'x'.repeat(4000);
  let rows = 0;
  // With the pauses the WAL starts over dozens of times a second on an idle machine. Without
  // them it may still start over while it is small, by luck, but once long it only grows
  // (bench/wal-growth.ts). How often depends on the CPU and disk the checkpointer thread gets
  // (the full suite loads both), so the test counts the writer's pauses and the WAL's restarts
  // (its header's checkpoint sequence) until it has seen enough of both, rather than timing them.
  const wanted = 3;
  const seenEnough = () => handles.walRestart.pausesAnswered >= wanted && walRestarts(path) >= wanted;
  const deadline = Date.now() + 10_000;
  while (!seenEnough() && Date.now() < deadline) {
    await writeTransaction(handles, (db) => {
      for (let i = 0; i < 4; i++) db.run('INSERT INTO pad (body) VALUES (?)', row);
    });
    rows += 4;
    // A commit a millisecond or so, the event loop turning in between, as in a busy server.
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  assert.ok(
    seenEnough(),
    `in ${rows} rows the writer paused ${handles.walRestart.pausesAnswered} times and the WAL started over ${walRestarts(path)} times`,
  );
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

test('a paused write keeps the process alive until it is made', async () => {
  // Under node:test something else always holds the event loop; a script run alone has only
  // the pending write. A pause that nobody ends must not let Node exit with the write unmade.
  const script = `
    import { openSqlite, writeTransaction } from ${JSON.stringify(new URL('./connection.ts', import.meta.url).href)};
    import { GATE } from ${JSON.stringify(new URL('./wal-restart.ts', import.meta.url).href)};
    const handles = openSqlite(':memory:', 'NORMAL');
    handles.writer.db.exec('CREATE TABLE t (n INTEGER)');
    Atomics.store(handles.walRestart.state, 0, GATE.pauseWanted);
    await writeTransaction(handles, (db) => db.run('INSERT INTO t (n) VALUES (1)'));
    console.log('rows', handles.writer.get('SELECT count(*) AS n FROM t').n);
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  assert.equal(stdout.trim(), 'rows 1');
});
