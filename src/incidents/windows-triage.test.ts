import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rateJumped, rateRatio, triagePeriods } from './triage-windows.ts';

test('periods end after the current minute and are minute aligned', () => {
  const now = Date.parse('2026-11-22T09:00:30Z');
  const { window, baseline, recent } = triagePeriods(now);
  assert.equal(new Date(window.end).toISOString(), '2026-11-22T09:01:00.000Z');
  assert.equal(new Date(window.start).toISOString(), '2026-11-22T08:46:00.000Z');
  assert.equal(new Date(baseline.start).toISOString(), '2026-11-22T07:46:00.000Z');
  assert.equal(baseline.end, window.start);
  assert.deepEqual(recent, { start: baseline.start, end: window.end });
});

test('a rate jump needs twice the rate and five events; from nothing, five events are enough', () => {
  assert.equal(rateJumped(5, 15, 0, 60), true);
  assert.equal(rateJumped(4, 15, 0, 60), false);
  // 15 per 15 min against 60 per hour is the same rate.
  assert.equal(rateJumped(15, 15, 60, 60), false);
  assert.equal(rateJumped(30, 15, 60, 60), true);
  assert.equal(rateJumped(29, 15, 60, 60), false);
  assert.equal(rateRatio(30, 60), 2);
  assert.equal(rateRatio(3, 0), null);
});
