import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, verifyPassword } from './passwords.ts';

test('scrypt password hashes are salted, self-describing and verified only by the right password', async () => {
  const first = await hashPassword('correct horse battery');
  const second = await hashPassword('correct horse battery');
  assert.match(first, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  assert.notEqual(first, second, 'a random salt per hash');
  assert.equal(await verifyPassword('correct horse battery', first), true);
  assert.equal(await verifyPassword('correct horse batterY', first), false);
  assert.equal(await verifyPassword('', first), false);
  for (const malformed of [
    null,
    '',
    'bcrypt$x',
    'scrypt$a$b$c$d$e',
    'scrypt$1000$8$1$c2FsdA==$aGFzaA==',
    first.replace(/\$[^$]+$/, '$AAAA'),
  ]) {
    assert.equal(await verifyPassword('correct horse battery', malformed), false, String(malformed));
  }
});
