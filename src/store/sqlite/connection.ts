import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../app-error.ts';
import { foldCase } from './fold-case.ts';
import { Mutex } from './mutex.ts';
import { GATE, WalRestartGate } from './wal-restart.ts';

export type SqliteSynchronous = 'NORMAL' | 'FULL';

/** One DatabaseSync plus its prepared statements, each prepared once on first use. */
export class SqliteConnection {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  get<T>(sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: SQLInputValue[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  run(sql: string, ...params: SQLInputValue[]): number {
    return Number(this.statement(sql).run(...params).changes);
  }
}

/**
 * The writer connection and a reader. Writes (ingest transactions and every other write) go
 * through `writer` under `writeLock`: an ingest transaction awaits between its steps, and
 * anything else touching the writer then would join that transaction. Reads use a second
 * connection so they never see a transaction's uncommitted rows; WAL lets it read while the
 * writer writes. An in-memory database cannot be shared, so there the reader is the writer.
 */
export interface SqliteHandles {
  writer: SqliteConnection;
  reader: SqliteConnection;
  writeLock: Mutex;
  /** Where the checkpointer asks the writer for a pause so the WAL can start over. */
  walRestart: WalRestartGate;
  /** Closes both connections after the checkpointer thread has closed its own. */
  close(): Promise<void>;
}

/**
 * One transaction on a connection. BEGIN IMMEDIATE takes the database's write lock up front, so
 * another process's writer waits in busy_timeout here instead of failing mid-transaction on a
 * lock upgrade. The caller holds the write lock (see writeTransaction).
 */
export async function runInTransaction<T>(db: SqliteConnection, fn: () => T | Promise<T>): Promise<T> {
  db.db.exec('BEGIN IMMEDIATE');
  try {
    const result = await fn();
    db.db.exec('COMMIT');
    return result;
  } catch (error) {
    // A failed COMMIT may already have ended the transaction; ROLLBACK would then mask the error.
    if (db.db.isTransaction) db.db.exec('ROLLBACK');
    throw error;
  }
}

/** One write transaction on the writer, under the write lock every write shares. */
export function writeTransaction<T>(
  h: SqliteHandles,
  fn: (db: SqliteConnection) => T | Promise<T>,
): Promise<T> {
  return h.writeLock.run(() => {
    const write = () => runInTransaction(h.writer, () => fn(h.writer));
    const paused = h.walRestart.beforeWrite();
    return paused ? paused.then(write) : write();
  });
}

const BUSY_TIMEOUT_MS = 5000;
/** How the checkpointer thread runs; tests shorten both. */
export interface CheckpointOptions {
  intervalMs: number;
  /** A WAL of at least this many frames is started over (wal-restart.ts). */
  restartAfterFrames: number;
}

const DEFAULT_CHECKPOINT: CheckpointOptions = {
  intervalMs: 250,
  // 32 MB of WAL at 8 KiB pages: at the benchmark's maximum, a restart every ~2 ticks.
  restartAfterFrames: 4096,
};
// A WAL that grew past this (a long transaction, a reader holding back checkpoints) is cut back
// to it when it next starts over, so its disk space comes back.
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;

export function openSqlite(
  path: string,
  synchronous: SqliteSynchronous,
  checkpoint: CheckpointOptions = DEFAULT_CHECKPOINT,
): SqliteHandles {
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new AppError('VALIDATION', 'SQLite synchronous must be NORMAL or FULL');
  }
  const inMemory = path === ':memory:';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const writerDb = openDatabase(path);
  try {
    configureWriter(writerDb, inMemory, synchronous);
  } catch (error) {
    writerDb.close();
    // A file that is no database, or one this process may only read (SQLite then opens it
    // read-only without a word, and every event would fail while /_health/ said 200).
    throw new AppError('UNAVAILABLE', `cannot use SQLite database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const writer = new SqliteConnection(writerDb);
  let reader = writer;
  let checkpointer: Worker | null = null;
  let checkpointerExited = false;
  const walRestart = new WalRestartGate();
  if (!inMemory) {
    const readerDb = openDatabase(path);
    readerDb.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    reader = new SqliteConnection(readerDb);
    writerDb.exec('PRAGMA wal_autocheckpoint = 0');
    checkpointer = new Worker(new URL('./checkpointer-worker.mjs', import.meta.url), {
      workerData: { path, ...checkpoint, gate: walRestart.state, GATE },
      // It allocates next to nothing; keep its isolate small.
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
    });
    checkpointer.unref();
    // Without the checkpointer the WAL would grow without bound: fall back to SQLite's own.
    const fallBack = () => {
      walRestart.open();
      if (!closed) writerDb.exec('PRAGMA wal_autocheckpoint = 1000');
    };
    checkpointer.on('error', fallBack);
    checkpointer.on('exit', () => {
      checkpointerExited = true;
      fallBack();
    });
  }
  let closed = false;
  return {
    writer,
    reader,
    writeLock: new Mutex(),
    walRestart,
    async close() {
      closed = true;
      if (checkpointer && !checkpointerExited) {
        const exited = new Promise((resolve) => checkpointer?.once('exit', resolve));
        checkpointer.ref(); // an unref'd worker would not keep the process alive until it exits
        checkpointer.postMessage('stop');
        await exited;
      }
      if (reader !== writer) reader.db.close();
      try {
        writer.db.exec('PRAGMA optimize');
      } catch {
        // Best effort: statistics for the next start, never a reason to fail a clean stop.
      }
      writer.db.close();
    },
  };
}

function configureWriter(writerDb: DatabaseSync, inMemory: boolean, synchronous: SqliteSynchronous): void {
  writerDb.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 8 KiB pages (only applies to a new file): compressed event rows are 1–3 KB, and with 4 KiB
  // pages only one fits per page, wasting ~45 % of the events table (bench:ingest).
  writerDb.exec('PRAGMA page_size = 8192');
  if (!inMemory) writerDb.exec('PRAGMA journal_mode = WAL');
  // In WAL mode NORMAL skips the fsync per commit: a killed process loses nothing (the WAL is
  // in the OS cache), only a power loss or OS crash can drop the last transactions. FULL
  // fsyncs every commit for those who need that too.
  writerDb.exec(`PRAGMA synchronous = ${synchronous}`);
  writerDb.exec('PRAGMA temp_store = MEMORY');
  writerDb.exec(`PRAGMA journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  // A page written and rolled back proves the file writable (the write lock alone does not, in
  // WAL mode): a read-only one fails here, not at the first event.
  const { user_version: version } = writerDb.prepare('PRAGMA user_version').get() as { user_version: number };
  writerDb.exec('BEGIN IMMEDIATE');
  try {
    writerDb.exec(`PRAGMA user_version = ${Number(version)}`);
  } finally {
    writerDb.exec('ROLLBACK');
  }
}

function openDatabase(path: string): DatabaseSync {
  try {
    const db = new DatabaseSync(path, { enableForeignKeyConstraints: true });
    db.function('fold_case', { deterministic: true }, foldCase);
    return db;
  } catch (error) {
    throw new AppError('UNAVAILABLE', `cannot open SQLite database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
