import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXCERPT_CHARS, replyExcerpt } from './reply-excerpt.ts';

test('JSON, YAML and header replies: the values of sensitive keys are filtered, others kept', () => {
  assert.equal(
    replyExcerpt(
      '{"error":"bad","password":"hunter2","token":"abc","nested":{"client_secret":"zzz","apiKey":"KKK"}}',
    ),
    '{"error":"bad","password":"[Filtered]","token":"[Filtered]","nested":{"client_secret":"[Filtered]","apiKey":"[Filtered]"}}',
  );
  assert.equal(replyExcerpt('password: hunter2\nstatus: down'), 'password: [Filtered] status: down');
  assert.equal(replyExcerpt('Set-Cookie: sid=s3cr3t; Path=/'), 'Set-Cookie: [Filtered]; Path=/');
  assert.equal(replyExcerpt("auth_token = 'abc def'"), "auth_token = '[Filtered]'");
  assert.equal(replyExcerpt('author: Ada, status: ok'), 'author: Ada, status: ok');
  assert.equal(
    replyExcerpt('550 5.1.1 user unknown password=x'),
    '550 5.1.1 user unknown password=[Filtered]',
  );
});

test('a long output is scrubbed before it is cut: a cut key never leaves its value behind', () => {
  const output = `password=hunter2${' '.repeat(5000)}exit status 1`;
  assert.equal(replyExcerpt(output, 'end'), 'exit status 1');
  const cutInside = `xx password=hunter2 ${'y'.repeat(20)}`;
  // The window's cut falls inside the key: that word is dropped, never shown as "rd=hunter2".
  const padded = `${'z '.repeat(2400)}${cutInside}`;
  assert.doesNotMatch(replyExcerpt(padded, 'end') ?? '', /hunter2/);
  const long = replyExcerpt('a'.repeat(1000));
  assert.equal(long?.length, EXCERPT_CHARS, 'the ellipsis counts in the limit');
  assert.ok(long?.endsWith('…'));
});
