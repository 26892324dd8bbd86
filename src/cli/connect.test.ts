import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../app-error.ts';
import { resolveApiTarget } from './connect.ts';

describe('resolveApiTarget', () => {
  const orgToken = (claims: object) =>
    `sntrys_${Buffer.from(JSON.stringify(claims)).toString('base64')}_c2VjcmV0`;

  test('defaults: local server, no org, token from FIREBREAK_TOKEN then SENTRY_AUTH_TOKEN', () => {
    assert.deepEqual(resolveApiTarget({}, {}), { baseUrl: 'http://127.0.0.1:8000', org: null, token: null });
    assert.equal(resolveApiTarget({}, { SENTRY_AUTH_TOKEN: 's' }).token, 's');
    assert.equal(resolveApiTarget({}, { SENTRY_AUTH_TOKEN: 's', FIREBREAK_TOKEN: 'f' }).token, 'f');
  });

  test('flags beat the environment, which beats an org token’s claims', () => {
    const token = orgToken({ iat: 1, url: 'https://fb.example.com', org: 'claimed' });
    assert.deepEqual(resolveApiTarget({}, { FIREBREAK_TOKEN: token }), {
      baseUrl: 'https://fb.example.com',
      org: 'claimed',
      token,
    });
    const env = { FIREBREAK_TOKEN: token, FIREBREAK_URL: 'http://env:1/', FIREBREAK_ORG: 'envorg' };
    assert.deepEqual(resolveApiTarget({}, env), { baseUrl: 'http://env:1', org: 'envorg', token });
    assert.deepEqual(resolveApiTarget({ url: 'http://flag:2/prefix//', org: 'flagorg' }, env), {
      baseUrl: 'http://flag:2/prefix',
      org: 'flagorg',
      token,
    });
  });

  test('a user token or a malformed org token carries no claims', () => {
    assert.equal(resolveApiTarget({}, { FIREBREAK_TOKEN: 'sntrys_!!!_x' }).org, null);
    assert.equal(resolveApiTarget({}, { FIREBREAK_TOKEN: 'sntryu_abc' }).baseUrl, 'http://127.0.0.1:8000');
  });

  test('a URL that is not http(s) is a usage error', () => {
    for (const url of ['not a url', 'ftp://host/']) {
      assert.throws(
        () => resolveApiTarget({ url }, {}),
        (e: unknown) => e instanceof AppError && e.code === 'VALIDATION',
      );
    }
  });
});
