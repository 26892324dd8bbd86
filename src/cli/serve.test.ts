import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDatabase } from './serve.ts';

test('the database URL is logged without its credentials, an unencoded @ in the password too', () => {
  assert.equal(describeDatabase('postgres://u:hunter2@db:5432/fb'), 'postgres://***@db:5432/fb');
  assert.equal(
    describeDatabase('postgres://postgres:S3cr@tPW@127.0.0.1:5432/fb'),
    'postgres://***@127.0.0.1:5432/fb',
  );
  assert.equal(describeDatabase('postgres://db:5432/fb?user=a@b'), 'postgres://db:5432/fb?user=a@b');
  assert.equal(describeDatabase('sqlite:./firebreak.db'), 'sqlite:./firebreak.db');
});
