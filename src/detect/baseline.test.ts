import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  baselineAt,
  DAY,
  HOUR,
  MINUTE,
  median,
  poissonUpperTail,
  spikeAt,
  trimmedMean,
  windowCount,
} from './baseline.ts';
import { evaluationInstants } from './scan.ts';

const T = Date.UTC(2026, 10, 2, 12);
const minutes = (from: number, counts: number[]) => new Map(counts.map((c, i) => [from + i * MINUTE, c]));
const rule = { factor: 3, minCount: 10, windowMinutes: 1, baseline: 'seasonal' as const };

test('median and trimmed mean resist a burst', () => {
  assert.equal(median([]), 0);
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  const steady = Array.from({ length: 20 }, () => 10);
  assert.equal(trimmedMean([...steady.slice(2), 500, 400]), 10);
});

test('Poisson upper tail matches known values', () => {
  assert.equal(poissonUpperTail(0, 3), 1);
  assert.ok(Math.abs(poissonUpperTail(10, 3) - 0.001102) < 2e-6);
  assert.ok(Math.abs(poissonUpperTail(2, 3) - 0.800852) < 2e-6);
  assert.ok(poissonUpperTail(300, 100) < 1e-40);
  assert.equal(poissonUpperTail(5, 0), 0);
});

const exact = (count: number) => ({ count, estimated: false });
const estimate = (count: number) => ({ count, estimated: true });

test('window count: whole buckets at a minute boundary, exact; inside a minute, the oldest in part, estimated', () => {
  const counts = minutes(T - 3 * MINUTE, [4, 6, 8, 10]); // the last is the current minute
  assert.deepEqual(windowCount(counts, T, 1), exact(8));
  assert.deepEqual(windowCount(counts, T, 2), exact(14));
  // 15 s into the current minute: all 10 of it plus 3/4 of the minute before.
  assert.deepEqual(windowCount(counts, T + 15_000, 1), estimate(10 + 0.75 * 8));
  assert.deepEqual(windowCount(counts, T + 15_000, 2), estimate(10 + 8 + 0.75 * 6));
  // An empty oldest minute adds no share: the count is exact.
  assert.deepEqual(windowCount(minutes(T - MINUTE, [0, 10]), T + 15_000, 1), exact(10));
});

test('window count after a rule is enabled: no bucket before the first whole minute after it', () => {
  const counts = minutes(T - 3 * MINUTE, [4, 6, 8, 10]);
  // Enabled at T - 2 min + 1 ms: from T - 1 min on, so 15 s into T the 3-minute window is 8 + 10.
  assert.deepEqual(windowCount(counts, T + 15_000, 3, T - 2 * MINUTE + 1), exact(18));
  assert.deepEqual(windowCount(counts, T, 3, T - 2 * MINUTE + 1), exact(8));
  // Enabled on a boundary: that minute counts, and its share as the window's oldest bucket.
  assert.deepEqual(windowCount(counts, T + 15_000, 2, T - 2 * MINUTE), estimate(10 + 8 + 0.75 * 6));
  // Enabled inside the current minute: nothing yet.
  assert.deepEqual(windowCount(counts, T + 15_000, 1, T + 5_000), exact(0));
});

test('a spike verdict says where its window starts and whether its count is an estimate', () => {
  const quiet = Array.from({ length: 60 }, (_, i) => i % 2); // one event every other minute
  // 9 events in the previous minute, 5 so far 10 s into this one: 5 + 5/6 × 9 = 12.5, estimated.
  const verdict = spikeAt(minutes(T - 61 * MINUTE, [...quiet, 9, 5]), new Map(), T + 10_000, rule);
  assert.deepEqual(
    [verdict.spike, verdict.count, verdict.estimated, verdict.windowStart],
    [true, 12.5, true, T + 10_000 - MINUTE],
  );
  // At the boundary, whole minutes: 9, exact (and under minCount).
  const atBoundary = spikeAt(minutes(T - 61 * MINUTE, [...quiet, 9]), new Map(), T, rule);
  assert.deepEqual([atBoundary.spike, atBoundary.count, atBoundary.estimated], [false, 9, false]);
  // A rule enabled 5 s into the previous minute starts its window at this minute.
  const since = spikeAt(
    minutes(T - 61 * MINUTE, [...quiet, 9, 12]),
    new Map(),
    T + 10_000,
    rule,
    Number.NEGATIVE_INFINITY,
    T - MINUTE + 5_000,
  );
  assert.deepEqual([since.spike, since.count, since.estimated, since.windowStart], [true, 12, false, T]);
});

test('the baseline is the larger of the recent level and the same hour on earlier days', () => {
  const recent = minutes(T - 60 * MINUTE, Array(60).fill(2));
  const hour = new Map<number, number>();
  for (let d = 1; d <= 7; d++) hour.set(T - d * DAY, d <= 4 ? 600 : 0); // 10/min at this hour on 4 of 7 days
  const seasonal = baselineAt(recent, hour, T, T + 30_000, 'seasonal');
  assert.deepEqual([seasonal.recent, seasonal.seasonal, seasonal.perMinute], [2, 10, 10]);
  const ewma = baselineAt(recent, hour, T, T + 30_000, 'ewma');
  assert.equal(ewma.perMinute, 2);
  // Only three such days: the median day is quiet.
  hour.set(T - 4 * DAY, 0);
  assert.equal(baselineAt(recent, hour, T, T + 30_000, 'seasonal').perMinute, 2);
  // The window spans 12:59–13:00: the next hour's level counts too.
  hour.clear();
  for (let d = 1; d <= 7; d++) hour.set(T + HOUR - d * DAY, 1200);
  assert.equal(baselineAt(recent, hour, T + 59 * MINUTE, T + HOUR + 10_000, 'seasonal').seasonal, 20);
});

test('a spike needs factor × baseline, the minimum count and significance; a new issue has none yet', () => {
  const history = Array(60).fill(20);
  const steady = minutes(T - 60 * MINUTE, [...history, 30]);
  assert.equal(spikeAt(steady, new Map(), T + 30_000, rule).spike, false);
  const burst = minutes(T - 60 * MINUTE, [...history, 90]);
  const verdict = spikeAt(burst, new Map(), T + 30_000, rule);
  assert.equal(verdict.spike, true);
  assert.equal(verdict.expected, 20);
  assert.ok(verdict.z > 6);
  // Under the minimum count: 9 events where 1 per minute is usual.
  assert.equal(
    spikeAt(minutes(T - 60 * MINUTE, [...Array(60).fill(1), 9]), new Map(), T + 30_000, rule).spike,
    false,
  );
  // The same burst on an issue first seen 5 minutes ago: no baseline yet.
  assert.equal(spikeAt(burst, new Map(), T + 30_000, rule, T - 5 * MINUTE).spike, false);
  // A rule enabled again 5 s into the burst's minute judges from the next minute; 30 s before it, from this one.
  assert.equal(spikeAt(burst, new Map(), T + 30_000, rule, Number.NEGATIVE_INFINITY, T + 5_000).spike, false);
  assert.equal(spikeAt(burst, new Map(), T + 30_000, rule, Number.NEGATIVE_INFINITY, T - 30_000).spike, true);
  // Bursty history (0 or 40 a minute): 90 is within what it shows.
  const bursty = minutes(T - 60 * MINUTE, [...Array.from({ length: 60 }, (_, i) => (i % 2 ? 40 : 0)), 90]);
  assert.equal(spikeAt(bursty, new Map(), T + 30_000, rule).spike, false);
});

test('evaluation instants: each minute boundary since the last pass, then now', () => {
  assert.deepEqual(evaluationInstants(T + 10_000, T + 150_000), [T + MINUTE, T + 2 * MINUTE, T + 150_000]);
  assert.deepEqual(evaluationInstants(T, T + 2 * MINUTE), [T + MINUTE, T + 2 * MINUTE]);
  assert.deepEqual(evaluationInstants(T + 5_000, T + 9_000), [T + 9_000]);
});
