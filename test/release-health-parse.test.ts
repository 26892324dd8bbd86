import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSessionItems } from '../src/releases/health-parse.ts';

const NOW = Date.parse('2026-11-22T09:30:00Z');
const HOUR = 3_600_000;
const item = (type: string, payload: unknown) => ({
  headers: { type },
  payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
});
const parse = (...items: ReturnType<typeof item>[]) => parseSessionItems(items, { id: 7, orgId: 3 }, NOW, 64);

test('session updates: status and errors decide the outcome; init starts a session', () => {
  const attrs = { release: 'web@1', environment: 'staging' };
  const started = '2026-11-22T09:10:00Z';
  const parsed = parse(
    item('session', { sid: 'a', did: 'u1', init: true, started, status: 'ok', attrs }),
    item('session', { sid: 'a', started, status: 'ok', errors: 2, attrs }),
    item('session', { sid: 'b', started, status: 'crashed', attrs }),
    item('session', {
      sid: 'c',
      started,
      status: 'exited',
      errors: 0,
      attrs: { release: 'web@1', environment: 'a/b' },
    }),
    item('session', { sid: 'd', started, status: 'unhandled', attrs }),
    item('event', { message: 'not a session' }),
  );
  assert.equal(parsed.orgId, 3);
  assert.deepEqual(
    parsed.updates.map((u) => [u.sid, u.init, u.outcome, u.environment, u.hour]),
    [
      ['a', true, null, 'staging', NOW - 30 * 60_000],
      ['a', false, 'errored', 'staging', NOW - 30 * 60_000],
      ['b', false, 'crashed', 'staging', NOW - 30 * 60_000],
      ['c', false, null, 'production', NOW - 30 * 60_000],
      ['d', false, 'unhandled', 'staging', NOW - 30 * 60_000],
    ],
  );
  assert.equal(parsed.updates[0].did, 'u1');
  assert.deepEqual(
    parsed.items.map((i) => [i.type, i.outcome]),
    Array(5).fill(['session', 'accepted']),
  );
});

test('aggregates: exited is healthy; empty buckets add nothing; starts in the future are now', () => {
  const parsed = parse(
    item('sessions', {
      aggregates: [
        { started: '2026-11-22T08:59:00Z', exited: 10, errored: 2, crashed: 1, abnormal: 1 },
        { started: '2026-11-22T09:00:00Z', did: 'u9', exited: 0 },
        { started: 1_900_000_000, exited: 3 },
      ],
      attrs: { release: 'api@2' },
    }),
  );
  assert.deepEqual(
    parsed.aggregates.map((a) => [a.hour, a.healthy, a.errored, a.crashed, a.abnormal, a.environment]),
    [
      [NOW - 30 * 60_000 - HOUR, 10, 2, 1, 1, 'production'],
      [NOW - 30 * 60_000, 3, 0, 0, 0, 'production'],
    ],
  );
});

test('unusable items are dropped and reported invalid, never thrown', () => {
  const started = '2026-11-22T09:10:00Z';
  const parsed = parse(
    item('session', '{not json'),
    item('session', { sid: 'x', started, attrs: {} }),
    item('session', { sid: 'x', started, attrs: { release: 'a/b' } }),
    item('session', { started, attrs: { release: 'web@1' } }),
    item('session', { sid: 'x', started: 'yesterday-ish', attrs: { release: 'web@1' } }),
    item('session', { sid: 'x', started: '2026-11-10T00:00:00Z', attrs: { release: 'web@1' } }),
    item('sessions', { aggregates: 'many', attrs: { release: 'web@1' } }),
    item('sessions', { aggregates: [{ started: 'never', exited: 1 }], attrs: { release: 'web@1' } }),
    item('sessions', { aggregates: [], attrs: { release: 'web@1' } }),
    item('sessions', { aggregates: [{ started: '2026-11-22T09:00:00Z', exited: 1 }], attrs: {} }),
    item('session', '[1, 2]'),
  );
  assert.deepEqual([parsed.updates.length, parsed.aggregates.length], [0, 0]);
  assert.deepEqual(
    parsed.items.map((i) => [i.type, i.outcome]),
    [
      ...Array(6).fill(['session', 'invalid']),
      ...Array(4).fill(['sessions', 'invalid']),
      ['session', 'invalid'],
    ],
  );
});

test('an aggregate item with one usable bucket is accepted; one of zeros is usable too', () => {
  const attrs = { release: 'web@1' };
  const parsed = parse(
    item('sessions', {
      aggregates: [
        { started: 'never', exited: 4 },
        { started: '2026-11-22T09:00:00Z', exited: 2 },
      ],
      attrs,
    }),
    item('sessions', { aggregates: [{ started: '2026-11-22T09:00:00Z', exited: 0 }], attrs }),
    item('sessions', { aggregates: [{ started: '2026-11-01T00:00:00Z', exited: 3 }], attrs }),
  );
  assert.deepEqual(
    parsed.aggregates.map((a) => a.healthy),
    [2],
  );
  assert.deepEqual(
    parsed.items.map((i) => [i.type, i.outcome]),
    [
      ['sessions', 'accepted'],
      ['sessions', 'accepted'],
      ['sessions', 'invalid'],
    ],
  );
});

test('session names with \\u0000 or a lone surrogate read back as events name them (U+FFFD)', () => {
  const started = '2026-11-22T09:10:00Z';
  const raw = `{"sid":"n","did":"u\\u0000","init":true,"started":"${started}","status":"ok","attrs":{"release":"a\\u0000b","environment":"e\\ud800"}}`;
  const [update] = parse(item('session', raw)).updates;
  assert.deepEqual([update.release, update.environment], ['a\ufffdb', 'e\ufffd']);
  assert.doesNotMatch(JSON.stringify(update), /\\u0000/);
});
