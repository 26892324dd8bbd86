import type { Logger } from 'pino';

export interface TickerOptions {
  /** Seconds between passes; 0 or less starts nothing. */
  seconds: number;
  /** The log message when a pass throws. */
  failure: string;
  /** One pass. `stopping()` turns true once stop was asked, for a pass that loops. */
  pass: (stopping: () => boolean) => Promise<unknown>;
}

/**
 * Runs `pass` every `seconds` on an unref'd timer (it never keeps the process alive), skipping a
 * beat while the previous pass still runs, logging a pass that throws. The stop function waits for
 * a pass in progress, so the store is not closed under it.
 */
export function startTicker(logger: Logger, options: TickerOptions): () => Promise<void> {
  if (options.seconds <= 0) return async () => {};
  let running: Promise<void> | null = null;
  let stopped = false;
  const stopping = () => stopped;
  const timer = setInterval(() => {
    if (running) return;
    running = options
      .pass(stopping)
      .then(
        () => {},
        (error) => logger.error({ err: error }, options.failure),
      )
      .finally(() => {
        running = null;
      });
  }, options.seconds * 1000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
