import type { ProjectKey } from '../store/types.ts';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (only when not allowed). */
  retryAfter: number;
}

/**
 * Per-key fixed-window counters, as Sentry's DSN rate limit ("N events per W seconds").
 * Kept in this process's memory: with several nodes each enforces the limit on its share.
 */
export class KeyRateLimiter {
  private windows = new Map<number, { windowStart: number; count: number }>();

  take(key: ProjectKey, events: number, now: number): RateDecision {
    const limit = key.rateLimitCount;
    const windowSeconds = key.rateLimitWindowSeconds;
    if (limit === null || windowSeconds === null || windowSeconds <= 0)
      return { allowed: true, retryAfter: 0 };
    const windowMs = windowSeconds * 1000;
    const windowStart = now - (now % windowMs);
    let state = this.windows.get(key.id);
    if (!state || state.windowStart !== windowStart) {
      state = { windowStart, count: 0 };
      this.windows.set(key.id, state);
    }
    if (state.count + events > limit) {
      return { allowed: false, retryAfter: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
    }
    state.count += events;
    return { allowed: true, retryAfter: 0 };
  }
}

/** X-Sentry-Rate-Limits value for a key quota on error-like events (reference §2.9). */
export function keyRateLimitHeader(retryAfter: number): string {
  return `${retryAfter}:error;default;security:key`;
}
