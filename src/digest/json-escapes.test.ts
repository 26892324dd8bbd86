import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withStorableEscapes } from './json-escapes.ts';

const rewrite = (json: string) => withStorableEscapes(Buffer.from(json)).toString();

test('NUL and lone surrogate escapes become \\ufffd; pairs, other escapes and escaped backslashes stay', () => {
  assert.equal(rewrite('{"a":"x\\u0000y"}'), '{"a":"x\\ufffdy"}');
  assert.equal(rewrite('{"release":"v\\ud800"}'), '{"release":"v\\ufffd"}', 'a high one alone');
  assert.equal(rewrite('{"a":"\\uDC00x"}'), '{"a":"\\ufffdx"}', 'a low one alone, upper case');
  assert.equal(rewrite('{"a":"\\ud83d\\ude00"}'), '{"a":"\\ud83d\\ude00"}', 'an emoji pair');
  assert.equal(rewrite('{"a":"\\ud800\\ud83d\\ude00"}'), '{"a":"\\ufffd\\ud83d\\ude00"}');
  assert.equal(rewrite('{"a":"\\ude00\\ud83d"}'), '{"a":"\\ufffd\\ufffd"}', 'a pair in the wrong order');
  assert.equal(
    rewrite('{"a":"\\\\ud800 \\\\u0000"}'),
    '{"a":"\\\\ud800 \\\\u0000"}',
    'text after an escaped backslash',
  );
  assert.equal(rewrite('{"a":"\\u00e9\\ud7ff\\ue000"}'), '{"a":"\\u00e9\\ud7ff\\ue000"}', 'not surrogates');
  assert.equal(rewrite('{"a":"\\ud8"}'), '{"a":"\\ud8"}', 'too short to be an escape: left to the parser');
  const plain = Buffer.from('{"a":"plain"}');
  assert.equal(withStorableEscapes(plain), plain, 'nothing to rewrite: not copied');
  const parsed = JSON.parse(rewrite('{"a":"\\ud800","b":"\\ud83d\\ude00"}'));
  assert.deepEqual([parsed.a.isWellFormed(), parsed.b], [true, '😀']);
});
