import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { AppError } from '../app-error.ts';
import { parseContentEncoding, readBody } from './decompress.ts';
import { isPrivate } from './private-bytes.ts';

const LIMITS = { maxRequestBytes: 20 * 1024 * 1024, maxDecompressedBytes: 200 * 1024 * 1024 };
const ENVELOPE = Buffer.from(
  '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc"}\n{"type":"event"}\n{"message":"héllo"}',
);

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function rejectsWith(promise: Promise<unknown>, code: string, message?: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected AppError, got ${error}`);
    assert.equal(error.code, code);
    if (message) assert.equal(error.message, message);
    return true;
  });
}

/** gzip of `mib` MiB of zeros, streamed so the test never holds the plain data. */
function gzippedZeros(mib: number): Promise<Buffer> {
  const zero = Buffer.alloc(1024 * 1024);
  const zeros = function* () {
    for (let i = 0; i < mib; i++) yield zero;
  };
  return buffer(Readable.from(zeros()).pipe(zlib.createGzip({ level: 1 })));
}

describe('readBody', () => {
  for (const encoding of [undefined, '', 'identity', 'utf-8', 'UTF-8', ' Identity ']) {
    it(`passes ${JSON.stringify(encoding)} through as identity`, async () => {
      assert.deepEqual(await readBody(chunked(ENVELOPE, 7), encoding, LIMITS), ENVELOPE);
    });
  }

  const encoders: [string, (b: Buffer) => Buffer][] = [
    ['gzip', (b) => zlib.gzipSync(b)],
    ['x-gzip', (b) => zlib.gzipSync(b)],
    ['GZIP', (b) => zlib.gzipSync(b)],
    ['deflate', (b) => zlib.deflateSync(b)],
    ['deflate', (b) => zlib.deflateRawSync(b)],
    ['br', (b) => zlib.brotliCompressSync(b)],
    ['zstd', (b) => zlib.zstdCompressSync(b)],
    ['deflate, gzip', (b) => zlib.gzipSync(zlib.deflateSync(b))],
    ['gzip,br', (b) => zlib.brotliCompressSync(zlib.gzipSync(b))],
    ['identity, gzip', (b) => zlib.gzipSync(b)],
  ];
  for (const [encoding, encode] of encoders) {
    it(`decodes ${encoding} (${encode.toString().slice(8, 40)}) from small chunks`, async () => {
      assert.deepEqual(await readBody(chunked(encode(ENVELOPE), 5), encoding, LIMITS), ENVELOPE);
    });
  }

  // Bodies up to 64 KiB on the wire are decoded in one call, larger ones as a stream.
  for (const [encoding, encode] of encoders) {
    it(`decodes ${encoding} (${encode.toString().slice(8, 40)}) the same at once and streamed`, async () => {
      const large = Buffer.concat([ENVELOPE, Buffer.from(`\n${randomBytes(90_000).toString('base64')}`)]);
      const wire = encode(large);
      assert.ok(wire.length > 64 * 1024, `${wire.length} bytes on the wire`);
      assert.deepEqual(await readBody(chunked(wire, 16 * 1024), encoding, LIMITS), large);
    });
  }

  // Private bodies may be handed over to the prepare worker (src/ingest/private-bytes.ts).
  it("marks as private only bodies it allocated, of at least half the pool's size: never small ones or the socket's chunk", async () => {
    const large = Buffer.concat([ENVELOPE, Buffer.from(`\n${'z'.repeat(60_000)}`)]);
    const decoded = await readBody(chunked(zlib.gzipSync(large), 4096), 'gzip', LIMITS);
    assert.ok(isPrivate(decoded), 'a large decoder output');
    const streamed = await readBody(
      chunked(zlib.gzipSync(Buffer.concat([large, randomBytes(70_000)])), 8192),
      'gzip',
      LIMITS,
    );
    assert.ok(isPrivate(streamed), 'a streamed decoder output');
    assert.ok(
      isPrivate(await readBody(chunked(large, 16 * 1024), undefined, LIMITS)),
      'a join of large chunks',
    );
    assert.ok(
      !isPrivate(await readBody(chunked(zlib.gzipSync(ENVELOPE), 5), 'gzip', LIMITS)),
      'a small, pooled output',
    );
    assert.ok(!isPrivate(await readBody(chunked(ENVELOPE, 7), undefined, LIMITS)), 'a small, pooled join');
    const chunk = Buffer.from(large);
    assert.ok(
      !isPrivate(await readBody(chunked(chunk, chunk.length), undefined, LIMITS)),
      "the socket's own chunk",
    );
  });

  it('reads a Node Readable and string chunks', async () => {
    assert.deepEqual(await readBody(Readable.from([zlib.gzipSync(ENVELOPE)]), 'gzip', LIMITS), ENVELOPE);
    assert.deepEqual(
      await readBody(Readable.from(['ab', 'c'], { objectMode: true }), undefined, LIMITS),
      Buffer.from('abc'),
    );
  });

  it('returns an empty body as empty, even when it claims a compression', async () => {
    assert.equal((await readBody(chunked(Buffer.alloc(0), 1), 'gzip', LIMITS)).length, 0);
    assert.equal((await readBody(Readable.from([]), undefined, LIMITS)).length, 0);
  });

  it('answers 415 for unknown codings before reading the body', async () => {
    let pulled = false;
    const body = (async function* () {
      pulled = true;
      yield ENVELOPE;
    })();
    for (const encoding of ['compress', 'gzip, compress', 'lz4', 'toString', '__proto__']) {
      await rejectsWith(
        readBody(body, encoding, LIMITS),
        'UNSUPPORTED_MEDIA_TYPE',
        'unsupported content encoding',
      );
    }
    assert.equal(pulled, false);
  });

  it('answers 400 for corrupt or truncated streams', async () => {
    const gz = zlib.gzipSync(ENVELOPE);
    const corrupt: [string, Buffer][] = [
      ['gzip', ENVELOPE],
      ['gzip', gz.subarray(0, gz.length - 6)],
      ['deflate', Buffer.from('definitely not deflate')],
      ['br', Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])],
      ['zstd', Buffer.from('not zstd at all')],
    ];
    for (const [encoding, body] of corrupt) {
      await rejectsWith(
        readBody(chunked(body, 4), encoding, LIMITS),
        'VALIDATION',
        'malformed compressed body',
      );
    }
  });

  it('refuses zstd frames that ask for a window over 8 MiB (RFC 9659)', async () => {
    const plain = Buffer.alloc(20 * 1024 * 1024, 'a');
    const wide = zlib.zstdCompressSync(plain, { params: { [zlib.constants.ZSTD_c_windowLog]: 26 } });
    await rejectsWith(
      readBody(chunked(wide, 1024), 'zstd', LIMITS),
      'VALIDATION',
      'malformed compressed body',
    );
    assert.equal(
      (await readBody(chunked(zlib.zstdCompressSync(plain), 1024), 'zstd', LIMITS)).length,
      plain.length,
    );
  });

  it('enforces maxRequestBytes on wire bytes and stops pulling once exceeded', async () => {
    let pulls = 0;
    const endless = (async function* () {
      for (;;) {
        pulls++;
        yield Buffer.alloc(1000);
      }
    })();
    await rejectsWith(
      readBody(endless, undefined, { ...LIMITS, maxRequestBytes: 10_500 }),
      'PAYLOAD_TOO_LARGE',
    );
    assert.equal(pulls, 11);
    const exact = await readBody(chunked(Buffer.alloc(10_500), 1000), undefined, {
      ...LIMITS,
      maxRequestBytes: 10_500,
    });
    assert.equal(exact.length, 10_500);
  });

  it('checks the wire size of compressed bodies, not only the decoded size', async () => {
    const gz = zlib.gzipSync(Buffer.alloc(5000, 'a'));
    await rejectsWith(
      readBody(chunked(gz, 10), 'gzip', { ...LIMITS, maxRequestBytes: gz.length - 1 }),
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('caps the decoded size of an identity body too', async () => {
    await rejectsWith(
      readBody(chunked(ENVELOPE, 10), undefined, { ...LIMITS, maxDecompressedBytes: 10 }),
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('rejects a 10 MB gzip bomb with a 1 MiB cap', async () => {
    const bomb = await gzippedZeros(10);
    assert.ok(bomb.length < 50_000, `bomb is ${bomb.length} bytes`);
    await rejectsWith(
      readBody(chunked(bomb, 4096), 'gzip', { ...LIMITS, maxDecompressedBytes: 1024 * 1024 }),
      'PAYLOAD_TOO_LARGE',
    );
    // the same body passes once the cap allows its full size
    const ok = await readBody(chunked(bomb, 4096), 'gzip', {
      ...LIMITS,
      maxDecompressedBytes: 10 * 1024 * 1024,
    });
    assert.equal(ok.length, 10 * 1024 * 1024);
  });

  it('rejects a 1 GiB bomb, single and double gzipped, without decoding it', async () => {
    const once = await gzippedZeros(1024);
    const twice = zlib.gzipSync(once);
    assert.ok(twice.length < 50_000, `double bomb is ${twice.length} bytes`);
    const cap = 8 * 1024 * 1024;
    const before = process.memoryUsage().arrayBuffers;
    // Every byte read or decoded is charged: decoding stops near the cap, not after the GiB.
    let charged = 0;
    const limits = { ...LIMITS, maxDecompressedBytes: cap, charge: (bytes: number) => (charged += bytes) };
    await rejectsWith(readBody(chunked(twice, 1024), 'gzip, gzip', limits), 'PAYLOAD_TOO_LARGE');
    await rejectsWith(readBody(chunked(once, 65536), 'gzip', limits), 'PAYLOAD_TOO_LARGE');
    assert.ok(charged < 6 * cap, `${charged} bytes charged`);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 6 * cap, `array buffers grew by ${grown} bytes`);
  });
});

describe('readBody over real HTTP', () => {
  async function withServer(limits: typeof LIMITS, run: (port: number) => Promise<void>): Promise<void> {
    const server = http.createServer(async (req, res) => {
      try {
        const body = await readBody(req, req.headers['content-encoding'], limits);
        res.end(`ok ${body.length} ${body.subarray(0, 14).toString()}`);
      } catch (error) {
        res.statusCode = error instanceof AppError && error.code === 'PAYLOAD_TOO_LARGE' ? 413 : 500;
        res.setHeader('connection', 'close');
        res.end(String((error as Error).message));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run((server.address() as AddressInfo).port);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  function post(port: number, headers: Record<string, string>, chunks: Buffer[]) {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: '/api/1/envelope/', headers },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(parts).toString() }),
          );
        },
      );
      req.on('error', reject);
      for (const c of chunks) req.write(c);
      req.end();
    });
  }

  it('reads a chunked gzip body like @sentry/node sends', async () => {
    await withServer(LIMITS, async (port) => {
      const gz = zlib.gzipSync(ENVELOPE);
      const chunks = [gz.subarray(0, 10), gz.subarray(10, 30), gz.subarray(30)];
      const res = await post(port, { 'content-encoding': 'gzip' }, chunks);
      assert.equal(res.status, 200);
      assert.equal(res.text, `ok ${ENVELOPE.length} {"event_id":"9`);
    });
  });

  it('can still answer 413 after refusing an oversized upload', async () => {
    await withServer({ ...LIMITS, maxRequestBytes: 64 * 1024 }, async (port) => {
      const res = await post(port, {}, [Buffer.alloc(100 * 1024)]);
      assert.equal(res.status, 413);
      assert.equal(res.text, 'request body exceeds the size limit');
    });
  });
});

describe('readBody on a request stream', () => {
  it('a client gone mid-body fails the read instead of leaving it waiting; a whole body still reads', async () => {
    const outcomes: string[] = [];
    const server = http.createServer(async (req, res) => {
      try {
        outcomes.push(`read ${(await readBody(req, undefined, LIMITS)).length}`);
        res.end('ok');
      } catch (error) {
        outcomes.push(String((error as Error).message));
        res.destroy();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const cut = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        headers: { 'content-length': '1000' },
      });
      cut.on('error', () => {});
      cut.write(Buffer.alloc(100));
      await new Promise((resolve) => setTimeout(resolve, 50));
      cut.destroy();
      while (outcomes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.deepEqual(outcomes, ['could not read the request body']);
      const whole = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'x'.repeat(5000) });
      assert.equal(await whole.text(), 'ok');
      assert.deepEqual(outcomes, ['could not read the request body', 'read 5000']);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a stream already ended or destroyed answers at once', async () => {
    const ended = Readable.from([Buffer.from('abc')]);
    ended.resume();
    await new Promise((resolve) => ended.on('end', resolve));
    assert.equal((await readBody(ended, undefined, LIMITS)).length, 0);
    const destroyed = new Readable({ read() {} });
    destroyed.on('error', () => {}).destroy(new Error('reset'));
    await rejectsWith(readBody(destroyed, undefined, LIMITS), 'VALIDATION');
  });
});

describe('parseContentEncoding', () => {
  it('lists codings in the order to undo them and drops identities', () => {
    assert.deepEqual(parseContentEncoding('deflate, identity, gzip'), ['gzip', 'deflate']);
    assert.deepEqual(parseContentEncoding(undefined), []);
  });

  it('refuses absurd stacks of codings', () => {
    assert.throws(() => parseContentEncoding('gzip,gzip,gzip,gzip,gzip'), { code: 'UNSUPPORTED_MEDIA_TYPE' });
  });
});
