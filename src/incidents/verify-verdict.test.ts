import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { verdictOf } from './verify-verdict.ts';

const w = (count: number, minutes: number) => ({ count, minutes });
/** Baseline 6 events in 60 min (0.1/min); 200 in the 10 min before the mitigation (20/min). */
const base = { baseline: w(6, 60), during: w(200, 10), holdMinutes: 10 };

describe('verification verdict', () => {
  test('no mitigation, and no complete minute after it', () => {
    assert.equal(verdictOf({ ...base, after: null, recent: w(5, 10) }).verdict, 'no_mitigation');
    assert.equal(verdictOf({ ...base, after: w(0, 0), recent: w(0, 0) }).verdict, 'pending');
  });

  test('at baseline: improving until the hold window has elapsed, then resolved', () => {
    assert.equal(verdictOf({ ...base, after: w(0, 3), recent: w(0, 3) }).verdict, 'improving');
    assert.equal(verdictOf({ ...base, after: w(0, 9), recent: w(0, 9) }).verdict, 'improving');
    assert.equal(verdictOf({ ...base, after: w(0, 10), recent: w(0, 10) }).verdict, 'resolved');
    // Earlier minutes after the mitigation may be high: only the last hold window counts.
    assert.equal(verdictOf({ ...base, after: w(90, 15), recent: w(1, 10) }).verdict, 'resolved');
  });

  test('the 10% tolerance over the baseline, exactly at its edge', () => {
    // 0.1/min × 10 min × 1.1 = 1.1 events: 1 passes, 2 do not.
    assert.equal(verdictOf({ ...base, after: w(1, 10), recent: w(1, 10) }).verdict, 'resolved');
    assert.equal(verdictOf({ ...base, after: w(2, 10), recent: w(2, 10) }).verdict, 'improving');
    // Baseline 60/h = 1/min: 11 in 10 min is at the edge (allowed), 12 is over.
    const steady = { ...base, baseline: w(60, 60) };
    assert.equal(verdictOf({ ...steady, after: w(11, 10), recent: w(11, 10) }).verdict, 'resolved');
    assert.equal(verdictOf({ ...steady, after: w(12, 10), recent: w(12, 10) }).verdict, 'improving');
  });

  test('a new issue (baseline 0) must go silent', () => {
    const fresh = { ...base, baseline: w(0, 60) };
    assert.equal(verdictOf({ ...fresh, after: w(0, 10), recent: w(0, 10) }).verdict, 'resolved');
    assert.equal(verdictOf({ ...fresh, after: w(1, 10), recent: w(1, 10) }).verdict, 'improving');
  });

  test('against the during-rate: improving, not improved, worse', () => {
    // during 20/min; ±10% is 18..22/min.
    assert.equal(verdictOf({ ...base, after: w(170, 10), recent: w(170, 10) }).verdict, 'improving');
    assert.equal(verdictOf({ ...base, after: w(180, 10), recent: w(180, 10) }).verdict, 'not_improved');
    assert.equal(verdictOf({ ...base, after: w(220, 10), recent: w(220, 10) }).verdict, 'not_improved');
    assert.equal(verdictOf({ ...base, after: w(221, 10), recent: w(221, 10) }).verdict, 'worse');
    assert.equal(
      verdictOf({ ...base, during: w(0, 0), after: w(5, 10), recent: w(5, 10) }).verdict,
      'not_improved',
    );
  });
});
