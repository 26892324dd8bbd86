// Plain JavaScript on purpose: a .ts worker makes its isolate load Node's TypeScript stripper
// (amaro, WebAssembly), which measured ~17 MB of resident memory for this one small thread.
import { closeSync, fsyncSync, openSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * Copies WAL frames back into the database file on its own connection and thread. A PASSIVE
 * checkpoint never blocks the writer; the writer has auto-checkpointing off, so its commits no
 * longer stall the event loop on that I/O (measured: COMMIT was ~20 % of ingest CPU time).
 * Once the WAL is long, it asks the writer for a short pause so the WAL can start over
 * (wal-restart.ts says why and how).
 */
const { path, intervalMs, restartAfterFrames, gate, GATE } = workerData;
// Passes per tick before asking for the pause: each copies what the writer committed during the
// one before, so the frames left for the paused pass shrink with every pass.
const MAX_PASSES = 4;
const FEW_FRAMES = 64;
// How long the writer may take to answer: it answers at its next write, a few ms under load.
const ANSWER_TIMEOUT_MS = 50;

let db;
let dbFile;
try {
  db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 5000');
  dbFile = openSync(path, 'r');
} catch {
  // The store was closed (and its file removed) before this thread started: nothing to do.
  process.exit(0);
}
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');

// The WAL's length at the previous tick: unchanged means the writer is idle, and an idle
// writer's next write starts the WAL over by itself (its frames are all copied by then).
let framesBefore = 0;

function tick() {
  let result = checkpoint.get();
  for (let pass = 1; pass < MAX_PASSES && result.log - result.checkpointed > FEW_FRAMES; pass++) {
    result = checkpoint.get();
  }
  const writing = result.log !== framesBefore;
  framesBefore = result.log;
  if (writing && result.busy === 0 && result.log >= restartAfterFrames) restartWal();
}

/** Pauses the writer for one last pass, after which its next write starts the WAL over. */
function restartWal() {
  // The last pass syncs the WAL, then the database file, which would flush every frame
  // committed and every page copied since the last syncs (5–20 ms measured); flushed now, the
  // pause only waits for its own few.
  fsyncSync(dbFile);
  const walFile = openSync(`${path}-wal`, 'r');
  try {
    fsyncSync(walFile);
  } finally {
    closeSync(walFile);
  }
  Atomics.store(gate, 0, GATE.pauseWanted);
  Atomics.wait(gate, 0, GATE.pauseWanted, ANSWER_TIMEOUT_MS);
  // Unanswered (the writer is idle, and then the WAL starts over by itself): withdraw the request.
  if (Atomics.compareExchange(gate, 0, GATE.pauseWanted, GATE.open) === GATE.pauseWanted) return;
  try {
    checkpoint.get();
  } finally {
    Atomics.store(gate, 0, GATE.open);
    Atomics.notify(gate, 0);
  }
}

const timer = setInterval(() => {
  try {
    tick();
  } catch {
    // Busy or locked: the next tick tries again; the WAL only grows meanwhile.
  }
}, intervalMs);
parentPort?.on('message', (message) => {
  if (message === 'stop') {
    clearInterval(timer);
    db.close();
    closeSync(dbFile);
    parentPort?.close();
  }
});
