import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextStep, retryDelayMs } from './backoff.ts';

const POLICY = { maxAttempts: 4, baseMs: 30_000, maxMs: 100_000 };

test('the delay doubles per attempt within [step/2, step], capped at maxMs', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5].map((n) => [retryDelayMs(POLICY, n, 0), retryDelayMs(POLICY, n, 0.999_999)]),
    [
      [15_000, 30_000],
      [30_000, 60_000],
      [50_000, 100_000],
      [50_000, 100_000],
      [50_000, 100_000],
    ],
  );
});

test('sent, failed for good, or pending after the backoff but not before Retry-After', () => {
  const now = 1_000_000;
  assert.deepEqual(nextStep(POLICY, { ok: true, permanent: false }, 1, now, 0.5), {
    status: 'sent',
    nextAttemptAt: now,
  });
  assert.deepEqual(nextStep(POLICY, { ok: false, permanent: true }, 1, now, 0.5), {
    status: 'failed',
    nextAttemptAt: now,
  });
  assert.deepEqual(nextStep(POLICY, { ok: false, permanent: false }, 4, now, 0.5), {
    status: 'failed',
    nextAttemptAt: now,
  });
  assert.deepEqual(nextStep(POLICY, { ok: false, permanent: false }, 1, now, 0.5), {
    status: 'pending',
    nextAttemptAt: now + 22_500,
  });
  const retryAfter = nextStep(POLICY, { ok: false, permanent: false, retryAfterMs: 80_000 }, 1, now, 0.5);
  assert.equal(retryAfter.nextAttemptAt, now + 80_000);
  const capped = nextStep(POLICY, { ok: false, permanent: false, retryAfterMs: 10_000_000 }, 1, now, 0.5);
  assert.equal(capped.nextAttemptAt, now + 100_000, 'a receiver cannot push a retry past maxMs');
});
