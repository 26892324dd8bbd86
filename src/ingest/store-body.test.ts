import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { AppError } from '../app-error.ts';
import { parseJsonObject } from './envelope.ts';
import { decodeStoreBody } from './store-body.ts';

const EVENT = '{"message":"x","extra":{"v":1.5}}';

function rejects(fn: () => unknown, code: string) {
  assert.throws(fn, (error: unknown) => error instanceof AppError && error.code === code);
}

describe('decodeStoreBody', () => {
  it('passes JSON through untouched, leading whitespace allowed', () => {
    const body = Buffer.from(EVENT);
    assert.equal(decodeStoreBody(body, undefined), body);
    assert.equal(decodeStoreBody(Buffer.from(` \n${EVENT}`), undefined).toString(), ` \n${EVENT}`);
  });

  it('keeps an empty body empty for the caller to refuse', () => {
    assert.equal(decodeStoreBody(Buffer.alloc(0), undefined).length, 0);
  });

  it('decodes base64 JSON', () => {
    const body = Buffer.from(Buffer.from(EVENT).toString('base64'));
    assert.equal(decodeStoreBody(body, 'raven-js/3.0').toString(), EVENT);
  });

  it('decodes base64 of zlib-deflated JSON (old raven clients)', () => {
    const body = Buffer.from(`${zlib.deflateSync(EVENT).toString('base64')}\n`);
    assert.equal(decodeStoreBody(body, 'raven-python/6.10.0').toString(), EVENT);
  });

  it('refuses bodies that are neither JSON, base64 JSON nor base64 zlib', () => {
    rejects(() => decodeStoreBody(Buffer.from('hello world'), undefined), 'VALIDATION');
    rejects(() => decodeStoreBody(Buffer.from('abc'), undefined), 'VALIDATION');
    rejects(
      () => decodeStoreBody(Buffer.from(Buffer.from('not zlib!').toString('base64')), undefined),
      'VALIDATION',
    );
  });

  it('names the fault: JSON that is not an object, or a body that is neither JSON nor base64', () => {
    const message = (body: string) => {
      try {
        decodeStoreBody(Buffer.from(body), undefined);
      } catch (error) {
        return (error as AppError).message;
      }
      return 'accepted';
    };
    assert.equal(message('[1,2]'), 'event payload must be a JSON object');
    assert.equal(message(`${'['.repeat(5000)}${']'.repeat(5000)}`), 'event payload must be a JSON object');
    assert.equal(message(' "text"'), 'event payload must be a JSON object');
    assert.equal(message('hello world'), 'request body is neither a JSON object nor a base64-encoded event');
    assert.equal(message('null'), 'request body is neither a JSON object nor a base64-encoded event');
  });

  it('stops inflating at the size limit', () => {
    const bomb = Buffer.from(zlib.deflateSync(Buffer.alloc(5 * 1024 * 1024, 0x20)).toString('base64'));
    rejects(() => decodeStoreBody(bomb, undefined, 1024 * 1024), 'PAYLOAD_TOO_LARGE');
    rejects(() => decodeStoreBody(bomb, undefined), 'PAYLOAD_TOO_LARGE');
  });

  it('replaces bare NaN and Infinity from Python clients, not inside strings', () => {
    const body = Buffer.from(
      '{"a":NaN,"b":[Infinity,-Infinity, NaN],"c":"NaN and -Infinity \\" NaN","d":1e5,"Infinity":NaN}',
    );
    for (const client of ['raven-python/6.10.0', 'sentry-python/0.19.0']) {
      assert.deepEqual(parseJsonObject(decodeStoreBody(body, client), 64), {
        a: null,
        b: [null, null, null],
        c: 'NaN and -Infinity " NaN',
        d: 1e5,
        Infinity: null,
      });
    }
  });

  it('leaves other clients alone', () => {
    const body = Buffer.from('{"a":NaN}');
    assert.equal(decodeStoreBody(body, 'sentry.javascript.node/11.12.0').toString(), '{"a":NaN}');
    assert.equal(decodeStoreBody(body, undefined).toString(), '{"a":NaN}');
    assert.equal(decodeStoreBody(Buffer.from(EVENT), 'sentry-python/1.0').toString(), EVENT);
  });
});
