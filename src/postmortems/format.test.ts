import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationMsText, durationText, minutesText } from './format.ts';

test('durations read to the second: no whole-minute rounding', () => {
  const cases: [number | null, string][] = [
    [null, '—'],
    [0, '0 s'],
    [45, '45 s'],
    [90, '1 min 30 s'],
    [65, '1 min 5 s'],
    [149, '2 min 29 s'],
    [19 * 60, '19 min'],
    [3600, '1 h'],
    [2 * 3600 + 5 * 60, '2 h 05 min'],
    [2 * 3600 + 7, '2 h 00 min 7 s'],
    [3 * 86_400 + 4 * 3600, '3 d 4 h'],
    [86_400 + 61, '1 d 0 h 01 min 1 s'],
  ];
  for (const [seconds, text] of cases) assert.equal(durationText(seconds), text, String(seconds));
  assert.equal(durationMsText(90_400), '1 min 30 s');
  assert.equal(durationMsText(-5_000), '0 s');
});

test('the playbook’s minutes: to a tenth, whole minutes without a decimal', () => {
  assert.equal(minutesText(15 * 60_000), '15 min');
  assert.equal(minutesText(90_000), '1.5 min');
  assert.equal(minutesText(125 * 60_000 + 2_000), '125 min');
  assert.equal(minutesText(20_000), '0.3 min');
  assert.equal(minutesText(-5_000), '0 min');
});
