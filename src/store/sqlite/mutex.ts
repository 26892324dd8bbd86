/** A FIFO async mutex: one holder at a time, waiters resume in arrival order. */
export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Resolves once everything queued so far has finished. */
  async drain(): Promise<void> {
    await this.run(() => undefined);
  }
}
