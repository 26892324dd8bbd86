import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSearchQuery, parseTimeValue } from './parse.ts';

test('filters, negation, comparisons, quotes, lists, tags[] and free text', () => {
  const terms = parseSearchQuery(
    'is:unresolved !level:info times_seen:>=10 release:"web 1.0" environment:[prod, "stage 2"] tags[my key]:x  timeout "db down" has:user',
  );
  assert.deepEqual(
    terms.map((t) => (t.kind === 'filter' ? [t.key, t.op, t.values] : ['text', t.value])),
    [
      ['is', '=', ['unresolved']],
      ['level', '!=', ['info']],
      ['times_seen', '>=', ['10']],
      ['release', '=', ['web 1.0']],
      ['environment', '=', ['prod', 'stage 2']],
      ['my key', '=', ['x']],
      ['text', 'timeout'],
      ['text', 'db down'],
      ['has', '=', ['user']],
    ],
  );
});

test('values may contain colons (urls, namespaced tags)', () => {
  const [term] = parseSearchQuery('url:https://example.com/a:b');
  assert.deepEqual(term.kind === 'filter' && term.values, ['https://example.com/a:b']);
});

test('bad tokens are named in the error', () => {
  assert.throws(() => parseSearchQuery('release:"unterminated'), /unterminated quote/);
  assert.throws(() => parseSearchQuery('level:'), /"level:": missing value/);
  assert.throws(() => parseSearchQuery('!times_seen:>5'), /cannot negate/);
  assert.throws(() => parseSearchQuery('x'.repeat(3000)), /longer than/);
});

test('time values: relative and absolute', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  assert.deepEqual(parseTimeValue('-24h', now), { at: now - 86_400_000, relative: 'newer' });
  assert.deepEqual(parseTimeValue('24h', now), { at: now - 86_400_000, relative: 'newer' });
  assert.deepEqual(parseTimeValue('+7d', now), { at: now - 7 * 86_400_000, relative: 'older' });
  assert.deepEqual(parseTimeValue('2026-11-01', now), {
    at: Date.parse('2026-11-01T00:00:00Z'),
    relative: null,
  });
  assert.deepEqual(parseTimeValue('2026-11-01T10:00:00', now), {
    at: Date.parse('2026-11-01T10:00:00Z'),
    relative: null,
  });
  assert.deepEqual(parseTimeValue('2026-11-01T10:00:00+02:00', now), {
    at: Date.parse('2026-11-01T08:00:00Z'),
    relative: null,
  });
  assert.equal(parseTimeValue('yesterday', now), null);
});
