import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../app-error.ts';
import { authFromDsn, extractIngestAuth, isValidPublicKey, stripKeyFlags } from './auth.ts';

const KEY = 'e12d836b15bb49d7bbf99e64295d995b';

function req(headers: Record<string, string | string[]> = {}, query = '') {
  return { headers, query: new URLSearchParams(query) };
}

function rejects(fn: () => unknown, code: string, message: string) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected AppError, got ${error}`);
    assert.equal(error.code, code);
    assert.equal(error.message, message);
    return true;
  });
}

describe('extractIngestAuth', () => {
  it('reads sentry-cli X-Sentry-Auth', () => {
    const header = `Sentry sentry_key=${KEY}, sentry_version=7, sentry_timestamp=1795334660.938829, sentry_client=sentry-cli/x86_64`;
    assert.deepEqual(extractIngestAuth(req({ 'x-sentry-auth': header })), {
      publicKey: KEY,
      sentryVersion: '7',
      client: 'sentry-cli/x86_64',
    });
  });

  it('accepts any case of the scheme, loose spacing, unknown keys and a secret', () => {
    const header = `SENTRY  sentry_key = ${KEY} ,sentry_secret=s,foo=bar,junk,sentry_version=7.0`;
    assert.deepEqual(extractIngestAuth(req({ 'x-sentry-auth': header })), {
      publicKey: KEY,
      sentryVersion: '7.0',
      client: undefined,
    });
  });

  it('reads Authorization: Sentry …', () => {
    assert.equal(extractIngestAuth(req({ authorization: `sentry sentry_key=${KEY}` }))?.publicKey, KEY);
  });

  it('reads Authorization: Basic base64(key:secret)', () => {
    const basic = Buffer.from(`${KEY}:`).toString('base64');
    assert.deepEqual(extractIngestAuth(req({ authorization: `Basic ${basic}` })), { publicKey: KEY });
  });

  it('reads the @sentry/node query string', () => {
    const query = `sentry_version=7&sentry_key=${KEY}&sentry_client=sentry.javascript.node%2F11.12.0`;
    assert.deepEqual(extractIngestAuth(req({}, query)), {
      publicKey: KEY,
      sentryVersion: '7',
      client: 'sentry.javascript.node/11.12.0',
    });
  });

  it('strips key flags', () => {
    assert.equal(extractIngestAuth(req({}, `sentry_key=${KEY}.no-cache`))?.publicKey, KEY);
  });

  it('returns null without any ingest auth, ignoring Bearer tokens and non-sentry query params', () => {
    assert.equal(extractIngestAuth(req()), null);
    assert.equal(extractIngestAuth(req({ authorization: 'Bearer sntryu_abc' }, 'foo=1')), null);
    assert.equal(extractIngestAuth(req({ 'x-sentry-auth': 'Bearer x' })), null);
    assert.equal(extractIngestAuth(req({ 'x-sentry-auth': 'Sentry' })), null);
  });

  it('ignores Basic credentials that carry no key', () => {
    assert.equal(
      extractIngestAuth(req({ authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` })),
      null,
    );
    assert.equal(
      extractIngestAuth(req({ authorization: `Basic ${Buffer.from(':secret').toString('base64')}` })),
      null,
    );
  });

  it('refuses two sources at once', () => {
    const conflicts = [
      req({ 'x-sentry-auth': `Sentry sentry_key=${KEY}`, authorization: `Sentry sentry_key=${KEY}` }),
      req({ 'x-sentry-auth': `Sentry sentry_key=${KEY}` }, `sentry_key=${KEY}`),
      req({ authorization: `Basic ${Buffer.from(`${KEY}:x`).toString('base64')}` }, `sentry_key=${KEY}`),
      req({
        'x-sentry-auth': `Sentry sentry_key=${KEY}`,
        authorization: `Basic ${Buffer.from(`${KEY}:`).toString('base64')}`,
      }),
    ];
    for (const r of conflicts)
      rejects(() => extractIngestAuth(r), 'UNAUTHORIZED', 'multiple authorization payloads detected');
  });

  it('refuses an empty or missing sentry_key', () => {
    rejects(
      () => extractIngestAuth(req({ 'x-sentry-auth': 'Sentry sentry_key=, sentry_version=7' })),
      'UNAUTHORIZED',
      'missing public key in auth header',
    );
    rejects(
      () => extractIngestAuth(req({ 'x-sentry-auth': 'Sentry sentry_version=7' })),
      'UNAUTHORIZED',
      'missing public key in auth header',
    );
    rejects(
      () => extractIngestAuth(req({}, 'sentry_version=7')),
      'UNAUTHORIZED',
      'missing public key in auth header',
    );
  });

  it('refuses protocol versions above 7 with 400 and garbage versions with 401', () => {
    rejects(
      () => extractIngestAuth(req({}, `sentry_key=${KEY}&sentry_version=8`)),
      'VALIDATION',
      'unsupported protocol version',
    );
    rejects(
      () => extractIngestAuth(req({ 'x-sentry-auth': `Sentry sentry_key=${KEY}, sentry_version=99.1` })),
      'VALIDATION',
      'unsupported protocol version',
    );
    rejects(
      () => extractIngestAuth(req({}, `sentry_key=${KEY}&sentry_version=seven`)),
      'UNAUTHORIZED',
      'invalid value for version',
    );
    assert.equal(extractIngestAuth(req({}, `sentry_key=${KEY}&sentry_version=5`))?.sentryVersion, '5');
  });

  it('takes the first of repeated headers', () => {
    const auth = extractIngestAuth(
      req({ 'x-sentry-auth': [`Sentry sentry_key=${KEY}`, 'Sentry sentry_key=other'] }),
    );
    assert.equal(auth?.publicKey, KEY);
  });
});

describe('authFromDsn', () => {
  it('parses the develop-docs DSN with an empty secret', () => {
    assert.deepEqual(authFromDsn(`https://${KEY}:@sentry.io/42`), { publicKey: KEY, projectId: '42' });
  });

  it('allows a port, a path prefix, a secret and a trailing slash', () => {
    assert.deepEqual(authFromDsn(`http://${KEY}:secret@127.0.0.1:9000/sentry/sub/7/`), {
      publicKey: KEY,
      projectId: '7',
    });
    assert.deepEqual(authFromDsn(`http://${KEY}@[::1]:8000/1`), { publicKey: KEY, projectId: '1' });
  });

  it('returns null for anything unusable', () => {
    for (const dsn of [
      undefined,
      42,
      '',
      'not a url',
      `ftp://${KEY}@host/1`,
      'https://host/1',
      `https://${KEY}@host/`,
      `https://${KEY}@host/abc`,
      `https://${KEY}@host/1?x=${'a'.repeat(3000)}`,
    ]) {
      assert.equal(authFromDsn(dsn), null, String(dsn).slice(0, 50));
    }
  });
});

describe('public keys', () => {
  it('strips flags after the first dot', () => {
    assert.equal(stripKeyFlags(`${KEY}.no-cache.other`), KEY);
    assert.equal(stripKeyFlags(KEY), KEY);
  });

  it('accepts 32 word characters, flags or not', () => {
    assert.equal(isValidPublicKey(KEY), true);
    assert.equal(isValidPublicKey(`${KEY}.no-cache`), true);
    assert.equal(isValidPublicKey('publickey'), false);
    assert.equal(isValidPublicKey(`${KEY}0`), false);
    assert.equal(isValidPublicKey(`${KEY.slice(1)}-`), false);
    assert.equal(isValidPublicKey(''), false);
  });
});
