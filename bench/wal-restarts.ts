import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openSqlite, writeTransaction } from '../src/store/sqlite/connection.ts';
import { walRestarts } from '../src/store/sqlite/wal-header.ts';
import { positiveNumber } from './args.ts';

/**
 * How the WAL restart mechanism (src/store/sqlite/wal-restart.ts) fares on a disk: the real
 * writer and checkpointer thread, a commit of four 4 KB rows about every millisecond, and a
 * 100-frame restart limit, so a second spans dozens of restarts. Prints the writer's pauses, the
 * WAL's restarts, the pauses that timed out (each a restart lost) and the largest WAL seen.
 * Run it beside other disk load (a large `dd` and `sync`) to see what a busy disk does to it.
 *
 *   node bench/wal-restarts.ts [--seconds 5] [--dir /path/on/the/disk]
 */

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '5' }, dir: { type: 'string', default: tmpdir() } },
});
const seconds = positiveNumber('seconds', values.seconds);
const dir = mkdtempSync(join(values.dir, 'firebreak-wal-restarts-'));
const path = join(dir, 'bench.db');
const handles = openSqlite(path, 'NORMAL', { intervalMs: 20, restartAfterFrames: 100 });
try {
  handles.writer.db.exec('CREATE TABLE pad (body TEXT)');
  const row = 'x'.repeat(4000);
  let rows = 0;
  let largestWal = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    await writeTransaction(handles, (db) => {
      for (let i = 0; i < 4; i++) db.run('INSERT INTO pad (body) VALUES (?)', row);
    });
    rows += 4;
    largestWal = Math.max(largestWal, statSync(`${path}-wal`).size);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const megabytes = (bytes: number) => (bytes / 1e6).toFixed(1);
  console.log(
    `${rows} rows (${megabytes(rows * row.length)} MB) in ${seconds} s: writer paused ` +
      `${handles.walRestart.pausesAnswered} times, WAL started over ${walRestarts(path)} times, ` +
      `${handles.walRestart.pausesTimedOut} pauses timed out, largest WAL ${megabytes(largestWal)} MB`,
  );
} finally {
  await handles.close();
  rmSync(dir, { recursive: true, force: true });
}
