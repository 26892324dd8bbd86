/**
 * Lets pending I/O (requests, their commits) run before the caller goes on. Background passes
 * call it between units of work: on SQLite every store call is synchronous, so a pass that
 * never yields holds the event loop for its whole length.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
