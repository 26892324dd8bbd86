import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PostmortemFacts } from './facts.ts';
import { hintsOf } from './hints.ts';

const T0 = Date.UTC(2026, 10, 23, 16, 0, 0);
const MINUTE = 60_000;

/** Only what hintsOf reads: an incident whose first event is at T0 and a suspect deploy. */
function factsWithDeployAt(finishedAt: number, reasons: string[]): PostmortemFacts {
  return {
    incident: {
      firstEventAt: T0,
      detectedAt: T0 + 2 * MINUTE,
      declaredAt: T0 + 3 * MINUTE,
      detectionSource: 'alert',
      acknowledgedAt: null,
      resolvedAt: null,
      resolutionOverride: null,
      severity: 'P2',
    },
    impact: { start: T0, releases: [] },
    rates: { verdict: 'improving' },
    responseTargetMinutes: 15,
    mitigations: [],
    suspects: {
      deploy: { version: 'web@2.0.0', environment: 'production', finishedAt, reasons },
      rollbackTarget: null,
      commits: [],
    },
  } as unknown as PostmortemFacts;
}

test('hints: errors that began after the suspect deploy say how long after', () => {
  const { tests } = hintsOf(factsWithDeployAt(T0 - 4 * MINUTE, ['new_issue']));
  assert.equal(tests[0], 'The errors began 4 min after deploy web@2.0.0 to production finished (new_issue).');
});

test('hints: errors that began before the suspect deploy (a rate jump) never read "0 min after"', () => {
  const { tests } = hintsOf(factsWithDeployAt(T0 + 16 * MINUTE, ['rate_jump']));
  assert.equal(
    tests[0],
    'The errors began 16 min before deploy web@2.0.0 to production finished, and grew after it (rate_jump).',
  );
});
