import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimeRange, parseTimeValue, parseUtcDate } from './time-range.ts';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const DAY = 86_400_000;

test('time values: relative and absolute, UTC unless they name a zone', () => {
  assert.deepEqual(parseTimeValue('-24h', NOW), { at: NOW - DAY, relative: 'newer' });
  assert.deepEqual(parseTimeValue('24h', NOW), { at: NOW - DAY, relative: 'newer' });
  assert.deepEqual(parseTimeValue('+7d', NOW), { at: NOW - 7 * DAY, relative: 'older' });
  assert.deepEqual(parseTimeValue('2026-11-01', NOW), {
    at: Date.parse('2026-11-01T00:00:00Z'),
    relative: null,
  });
  assert.deepEqual(parseTimeValue('2026-11-01T10:00:00', NOW), {
    at: Date.parse('2026-11-01T10:00:00Z'),
    relative: null,
  });
  assert.deepEqual(parseTimeValue('2026-11-01T10:00:00+02:00', NOW), {
    at: Date.parse('2026-11-01T08:00:00Z'),
    relative: null,
  });
  assert.equal(parseTimeValue('yesterday', NOW), null);
});

test('start/end without a zone are UTC whatever the server zone; a space may separate the time', () => {
  const zone = process.env.TZ;
  process.env.TZ = 'Asia/Tokyo';
  try {
    assert.equal(parseUtcDate('2026-11-01T10:00:00'), Date.parse('2026-11-01T10:00:00Z'));
    assert.equal(parseUtcDate('2026-11-01 10:00:00.123456'), Date.parse('2026-11-01T10:00:00.123Z'));
    assert.equal(parseUtcDate('2026-11-01T10:00:00-0500'), Date.parse('2026-11-01T15:00:00Z'));
    assert.equal(parseUtcDate('2026-11-01T25:00:00'), null);
    assert.equal(parseUtcDate('1 Nov 2026'), null);
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
});

test('a window is at most 90 days; the error names the parameter', () => {
  assert.deepEqual(parseTimeRange({ statsPeriod: '90d' }, NOW), { start: NOW - 90 * DAY });
  assert.throws(() => parseTimeRange({ statsPeriod: '91d' }, NOW), /invalid statsPeriod "91d": at most 90d/);
  assert.throws(() => parseTimeRange({ statsPeriod: '99999w' }, NOW), /statsPeriod/);
  assert.deepEqual(parseTimeRange({ start: '2026-08-24', end: '2026-11-22' }, NOW), {
    start: Date.parse('2026-08-24T00:00:00Z'),
    end: Date.parse('2026-11-22T00:00:00Z'),
  });
  assert.throws(
    () => parseTimeRange({ start: '2026-08-23', end: '2026-11-22' }, NOW),
    /invalid start: more than 90 days before end/,
  );
  assert.throws(() => parseTimeRange({ start: '2026-11-01' }, NOW), /together/);
});
