import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../app-error.ts';
import { parseEventQuery, type QueryContext } from './search-query.ts';

const context = (overrides: Partial<QueryContext> = {}): QueryContext => ({
  now: Date.parse('2026-11-22T12:00:00Z'),
  projects: [],
  resolveIssue: async () => null,
  latestReleases: async () => [],
  allowAggregates: false,
  ...overrides,
});

test("a term's own fault is a 400 naming the token", async () => {
  for (const [query, detail] of [
    ['level:>error', /^invalid search token "level:>error": comparisons work on numbers and dates only$/],
    ['trace:abc', /^invalid search token "trace:abc": field "trace" is not supported by Firebreak$/],
    ['timestamp:>yesterday', /"timestamp:>yesterday"/],
  ] as const) {
    await assert.rejects(parseEventQuery(query, context()), (error: unknown) => {
      assert.ok(error instanceof AppError && error.code === 'VALIDATION', String(error));
      assert.match(error.message, detail);
      return true;
    });
  }
});

test('a failing lookup (the database) is not turned into a 400: it propagates as it is', async () => {
  const down = new Error('SQLITE_IOERR: disk I/O error');
  const ctx = context({
    resolveIssue: () => Promise.reject(down),
    latestReleases: () => Promise.reject(down),
  });
  await assert.rejects(parseEventQuery('issue:WEB-1', ctx), (error) => error === down);
  await assert.rejects(parseEventQuery('release:latest', ctx), (error) => error === down);
});

test('release:latest is the latest release of each project; none matches nothing', async () => {
  const latest = await parseEventQuery(
    'release:[latest, web@1]',
    context({ latestReleases: async () => ['web@3', 'api@7'] }),
  );
  assert.deepEqual(latest.filters, [
    { kind: 'in', attr: { column: 'release' }, negated: false, values: ['web@1', 'web@3', 'api@7'] },
  ]);
  const none = await parseEventQuery('release:latest', context());
  assert.deepEqual(none.filters, [{ kind: 'in', attr: { column: 'release' }, negated: false, values: [] }]);
});

test('timestamp:VALUE is all of the time the value names: its day, minute, second or millisecond', async () => {
  const span = async (value: string) => {
    const [from, to] = (await parseEventQuery(`timestamp:${value}`, context())).filters;
    assert.ok(from.kind === 'compare' && from.op === '>=' && to.kind === 'compare' && to.op === '<');
    return [new Date(from.value).toISOString(), to.value - from.value];
  };
  assert.deepEqual(await span('2026-11-20'), ['2026-11-20T00:00:00.000Z', 86_400_000]);
  assert.deepEqual(await span('2026-11-20T10:15'), ['2026-11-20T10:15:00.000Z', 60_000]);
  assert.deepEqual(await span('2026-11-20T10:15:30Z'), ['2026-11-20T10:15:30.000Z', 1_000]);
  assert.deepEqual(await span('2026-11-20T10:15:30.250Z'), ['2026-11-20T10:15:30.250Z', 1]);
  assert.deepEqual(await span('"2026-11-20 10:15:30"'), ['2026-11-20T10:15:30.000Z', 1_000]);
  assert.deepEqual(await span('2026-11-20t10:15'), ['2026-11-20T10:15:00.000Z', 60_000]);
});
