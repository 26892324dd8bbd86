import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIsoDate } from './iso-dates.ts';

test('ISO dates: date-only and datetimes, UTC unless zoned; impossible or loose dates are null', () => {
  assert.equal(parseIsoDate('2026-11-22'), Date.UTC(2026, 10, 22));
  assert.equal(parseIsoDate('2026-11-22T09:05'), Date.UTC(2026, 10, 22, 9, 5));
  assert.equal(parseIsoDate('2026-11-22 09:05:30.25Z'), Date.UTC(2026, 10, 22, 9, 5, 30, 250));
  assert.equal(parseIsoDate('2026-11-22T09:05:30+01:30'), Date.UTC(2026, 10, 22, 7, 35, 30));
  assert.equal(parseIsoDate('2026-11-22T09:05:30-0500'), Date.UTC(2026, 10, 22, 14, 5, 30));
  assert.equal(
    parseIsoDate('2026-11-22T09:05:30,5+01'),
    Date.UTC(2026, 10, 22, 8, 5, 30, 500),
    'comma, hours-only offset',
  );
  assert.equal(parseIsoDate('2024-02-29'), Date.UTC(2024, 1, 29), 'a leap day');
  assert.equal(parseIsoDate('0050-01-01'), Date.parse('0050-01-01T00:00:00Z'), 'not read as 1950');
  for (const loose of [
    '1',
    '12',
    '5',
    '2026-02-30',
    '2025-02-29',
    '0000-01-01',
    '0001-01-01T00:00:00+00:01',
    '2026-13-01',
    '2026-04-31',
    '2026-11-22T24:00',
    '2026-11-22T09:60',
    '2026-11-23T12:00:00+25:00',
    '2026-11-23T12:00:00-0099',
    '2026-11-23T12:00:00+24',
    '2026-11-23T12:00:00+1',
    'Nov 22 2026',
    '2026/11/22',
    '+275760-09-13',
    '',
    ' ',
  ]) {
    assert.equal(parseIsoDate(loose), null, loose);
  }
});
