import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeMessageForGrouping } from './parameterize.ts';

test('replaces variable values with named placeholders (§4.6 table and examples)', () => {
  const cases: [string, string][] = [
    ['Error with order #1231', 'Error with order #<int>'],
    [
      'user 4f2a9c1e-7b3d-4e8a-9c2f-1a2b3c4d5e6f not found at 2024-01-02T03:04:05Z',
      'user <uuid> not found at <date>',
    ],
    ['timeout after 350ms', 'timeout after <duration>'],
    ['retry in 1.5s', 'retry in <duration>'],
    ['key="abc" enabled=true other=False', 'key=<quoted_str> enabled=<bool> other=<bool>'],
    ['"abc" and true stay when not a value', '"abc" and true stay when not a value'],
    ['invite for bob.smith+test@example.com failed', 'invite for <email> failed'],
    ['GET https://api.example.com/users/7?x=1 returned 503', 'GET <url> returned <int>'],
    ['getaddrinfo ENOTFOUND db.internal.example.org', 'getaddrinfo ENOTFOUND <hostname>'],
    ['connect ECONNREFUSED 10.0.0.12:5432', 'connect ECONNREFUSED <ip>:<int>'],
    ['peer ::1 and 2001:db8:85a3:0:0:8a2e:370:7334 gone', 'peer <ip> and <ip> gone'],
    ['traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'traceparent <traceparent>'],
    ['blob 356a192b7913b04c54574d18c28d46e6395428ab', 'blob <sha1>'],
    ['etag d41d8cd98f00b204e9800998ecf8427e', 'etag <md5>'],
    ['expired Mon, 02 Jan 2006 15:04:05 MST', 'expired <date>'],
    ['since Sat Nov 22 2026 08:04:41 GMT+0000 (Coordinated Universal Time)', 'since <date>'],
    ['batch 2024-01-02 started 13:45:10', 'batch <date> started <date>'],
    ['segfault at 0x7ffd4e2a and ab12cd34ef', 'segfault at <hex> and <hex>'],
    ['deployed abc1234', 'deployed <git_sha>'],
    ['balance -12.75 after -3 retries', 'balance <float> after <int> retries'],
    ['Foo::bar() is not a function', 'Foo::bar() is not a function'],
  ];
  for (const [input, expected] of cases) assert.equal(normalizeMessageForGrouping(input), expected, input);
});

test('keeps the first two non-blank lines and marks the cut', () => {
  assert.equal(
    normalizeMessageForGrouping('Query failed\n\n   \nSELECT 1\nFROM users'),
    'Query failed\nSELECT <int>...',
  );
  assert.equal(normalizeMessageForGrouping('line one\r\nline two'), 'line one\nline two...');
  assert.equal(normalizeMessageForGrouping('single line'), 'single line');
  assert.equal(normalizeMessageForGrouping('trailing newline\n'), 'trailing newline...');
  assert.equal(normalizeMessageForGrouping('   '), '...');
});
