import { AppError } from '../app-error.ts';

/**
 * Bytes of request bodies held in memory at once, across all ingest requests. Each request takes
 * a lease and charges it as chunks arrive and as decoders produce output, so concurrent large or
 * compressed uploads cannot together exceed the budget; past it the request gets 503.
 */
export class MemoryBudget {
  private used = 0;
  private readonly max: number;

  constructor(maxBytes: number) {
    this.max = maxBytes;
  }

  lease(): MemoryLease {
    let held = 0;
    return {
      take: (bytes) => {
        if (this.used + bytes > this.max) {
          throw new AppError('UNAVAILABLE', 'server is busy; retry later', { retryAfter: 1 });
        }
        this.used += bytes;
        held += bytes;
      },
      release: () => {
        this.used -= held;
        held = 0;
      },
    };
  }
}

export interface MemoryLease {
  /** Charges bytes to the shared budget; throws 503 when it is exhausted. */
  take(bytes: number): void;
  /** Gives back everything this lease took. */
  release(): void;
}
