/**
 * Lets the WAL start over while commits keep coming.
 *
 * SQLite rewinds the WAL to its first frame only when a write transaction begins after a
 * checkpoint has copied every frame back into the database file. The checkpointer thread's
 * PASSIVE checkpoints run beside the writer, so under a steady load a commit lands while each
 * checkpoint runs (one takes ~10 ms with its syncs), no checkpoint ever catches up, and the WAL
 * file grows by every byte committed until the load stops: measured ~30 MB a second at a steady
 * 300 events/s, ~115 MB a second at the benchmark's maximum (`bench/wal-growth.ts`).
 *
 * So once the WAL is long and still growing, the checkpointer asks the writer for a pause. The writer answers at
 * its next write, under the write lock and before BEGIN, and holds back its writes (requests
 * are still read and prepared meanwhile) until the checkpointer's last pass (the frames since its
 * previous pass, and its syncs) is done; that write then starts the WAL over. Neither thread
 * waits on the other for long: a request nobody answers lapses, and a writer that has waited
 * RESUME_TIMEOUT_MS goes on (a PASSIVE checkpoint is safe beside writes; only that restart is
 * lost).
 */

/** The gate's states, in one Int32 shared with the checkpointer thread (which gets them as data). */
export const GATE = { open: 0, pauseWanted: 1, paused: 2 } as const;

/** Longer than the last pass takes (~10 ms here, most of it two fsyncs), short enough for a stalled disk. */
const RESUME_TIMEOUT_MS = 200;

export class WalRestartGate {
  readonly state = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  /** Pauses the writer has answered: tells a test that the checkpointer's requests reach it. */
  pausesAnswered = 0;
  /** Pauses the writer ended itself after RESUME_TIMEOUT_MS: each is a restart lost. */
  pausesTimedOut = 0;

  /**
   * Called by the writer under the write lock, outside any transaction. When the checkpointer
   * asked for a pause, answers it and resolves once the last pass is done (or after the
   * timeout); otherwise returns undefined, so the common path costs one atomic operation.
   */
  beforeWrite(): Promise<void> | undefined {
    if (Atomics.compareExchange(this.state, 0, GATE.pauseWanted, GATE.paused) !== GATE.pauseWanted) {
      return undefined;
    }
    this.pausesAnswered++;
    Atomics.notify(this.state, 0);
    const wait = Atomics.waitAsync(this.state, 0, GATE.paused, RESUME_TIMEOUT_MS);
    if (!wait.async) return undefined;
    // A pending waitAsync does not keep the event loop alive (nor does the unref'd checkpointer):
    // with no other handle open, Node would exit with the write never made. A timer of the same
    // length is not enough either (it can fire before the wait's own timeout is delivered), so
    // this one repeats until the wait ends.
    const keepAlive = setInterval(() => {}, RESUME_TIMEOUT_MS);
    return wait.value.then(() => {
      clearInterval(keepAlive);
      // Timed out: reopen, so a late checkpointer finds the gate open and the writer goes on.
      if (Atomics.compareExchange(this.state, 0, GATE.paused, GATE.open) === GATE.paused)
        this.pausesTimedOut++;
    });
  }

  /** The checkpointer thread is gone: nobody else will reopen the gate. */
  open(): void {
    Atomics.store(this.state, 0, GATE.open);
    Atomics.notify(this.state, 0);
  }
}
