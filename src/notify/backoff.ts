/**
 * Retry timing: exponential backoff with "equal jitter" (half the delay fixed, half random), so
 * deliveries that failed together (a receiver restarting) do not all come back at the same
 * instant, and a delay never shrinks below half its step.
 */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/** Delay before attempt `failedAttempt + 1`. `random` is in [0, 1). */
export function retryDelayMs(policy: RetryPolicy, failedAttempt: number, random: number): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.round(step / 2 + (step / 2) * random);
}

/**
 * What happens after an attempt: sent; failed for good (permanent error, or the last attempt);
 * or pending again after the backoff — never earlier than a receiver's Retry-After, within maxMs.
 */
export function nextStep(
  policy: RetryPolicy,
  result: { ok: boolean; permanent: boolean; retryAfterMs?: number },
  attempt: number,
  now: number,
  random: number,
): { status: 'sent' | 'failed' | 'pending'; nextAttemptAt: number } {
  if (result.ok) return { status: 'sent', nextAttemptAt: now };
  if (result.permanent || attempt >= policy.maxAttempts) return { status: 'failed', nextAttemptAt: now };
  const delay = Math.max(
    retryDelayMs(policy, attempt, random),
    Math.min(result.retryAfterMs ?? 0, policy.maxMs),
  );
  return { status: 'pending', nextAttemptAt: now + delay };
}
