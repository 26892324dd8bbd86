// Plain JavaScript on purpose: a .ts worker makes its isolate load Node's TypeScript stripper
// (amaro, WebAssembly), which measured ~17 MB of resident memory for this one small thread.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Copies WAL frames back into the database file on its own connection and thread. A PASSIVE
 * checkpoint never blocks the writer; the writer has auto-checkpointing off, so its commits no
 * longer stall the event loop on that I/O (measured: COMMIT was ~20 % of ingest CPU time).
 */
const { path, intervalMs } = workerData;
let db;
try {
  db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 5000');
} catch {
  // The store was closed (and its file removed) before this thread started: nothing to do.
  process.exit(0);
}
const timer = setInterval(() => {
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or locked: the next tick tries again; the WAL only grows meanwhile.
  }
}, intervalMs);
parentPort?.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort?.close();
  }
});
