import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSearchQuery } from './parse.ts';

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

test('a list holds at most 100 values; the error names the token', () => {
  const list = (n: number) =>
    `assigned:[${Array.from({ length: n }, (_, i) => `u${i}@example.com`).join(',')}]`;
  const [term] = parseSearchQuery(list(100));
  assert.equal(term.kind === 'filter' && term.values.length, 100);
  assert.throws(
    () => parseSearchQuery(`level:error ${list(101)}`),
    /invalid search token "assigned:\[u0@example\.com,.*\.\.\.": more than 100 values in a list/,
  );
});

test('quoted list values keep their commas, brackets and escaped quotes; only \\" escapes', () => {
  const values = (query: string) => {
    const [term] = parseSearchQuery(query);
    return term.kind === 'filter' ? term.values : term.value;
  };
  assert.deepEqual(values('customer:["Acme, Inc", cust-1]'), ['Acme, Inc', 'cust-1']);
  assert.deepEqual(values('team:["a]b"]'), ['a]b']);
  assert.deepEqual(values('customer:["Beta \\"Q\\" Ltd"]'), ['Beta "Q" Ltd']);
  assert.deepEqual(values('message:"path C:\\temp\\new"'), ['path C:\\temp\\new']);
  assert.deepEqual(values('env:[ a , b ]'), ['a', 'b']);
  assert.throws(() => parseSearchQuery('x:["a" b]'), /expected , or \] after a quoted value/);
  assert.throws(() => parseSearchQuery('x:["a", b'), /unterminated list/);
  assert.throws(() => parseSearchQuery('x:["a'), /unterminated quote/);
});
