import { Readable, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { AppError } from '../app-error.ts';
import { markPrivate } from './private-bytes.ts';

export interface BodyLimits {
  /** Bytes on the wire, before decoding. */
  maxRequestBytes: number;
  /** Bytes after each decoding step (caps every stage of a stacked `Content-Encoding`). */
  maxDecompressedBytes: number;
  /** Charged with every chunk read or decoded; may throw to stop reading (shared memory budget). */
  charge?: (bytes: number) => void;
}

export type ContentCoding = 'gzip' | 'deflate' | 'br' | 'zstd';

const CODINGS: Readonly<Record<string, ContentCoding | null>> = {
  '': null,
  identity: null,
  // sentry-ruby 5.x sends "", sentry.java.android 2.0.0 sends "UTF-8"
  // (relay-server/src/middlewares/decompression.rs).
  'utf-8': null,
  gzip: 'gzip',
  'x-gzip': 'gzip',
  deflate: 'deflate',
  br: 'br',
  zstd: 'zstd',
};

/** No real client stacks more than one or two codings; more is an attempt to multiply work. */
const MAX_CODINGS = 4;

/** Larger than zlib's 16 KiB default: fewer thread-pool round trips for legitimate large bodies. */
const DECODER_OPTIONS = { chunkSize: 64 * 1024 };

/**
 * Bodies this small on the wire are decoded in one synchronous call, up to SYNC_MAX_OUTPUT
 * bytes. For a 7.7 KB gzip body (a 51 KB SDK event) that costs ~75 µs of CPU instead of ~180 µs
 * for a stream and its thread-pool hops (`node bench/decode-body.ts`). The output cap
 * bounds how long the event loop can be held: a body that decodes to more (a bomb, a large
 * upload) is decoded again as a stream, which checks the real limit chunk by chunk.
 */
const SYNC_MAX_WIRE = 64 * 1024;
const SYNC_MAX_OUTPUT = 4 * 1024 * 1024;

/**
 * RFC 9659 caps the HTTP zstd window at 8 MiB; zstd's own default (128 MiB) would let one tiny
 * frame header reserve that much memory before any output is produced.
 */
const ZSTD_WINDOW_PARAMS = { [zlib.constants.ZSTD_d_windowLogMax]: 23 };

/** The codings to undo, in the order to undo them (the header lists them in the order applied). */
export function parseContentEncoding(header: string | undefined): ContentCoding[] {
  if (header === undefined) return [];
  const codings: ContentCoding[] = [];
  for (const token of header.split(',')) {
    const name = token.trim().toLowerCase();
    if (!Object.hasOwn(CODINGS, name)) throw unsupportedEncoding();
    const coding = CODINGS[name];
    if (coding) codings.push(coding);
  }
  if (codings.length > MAX_CODINGS) throw unsupportedEncoding();
  return codings.reverse();
}

/**
 * Reads a request body (chunked or not) and undoes its Content-Encoding. The wire size is checked
 * per chunk and the decoded size per decoder output chunk, so neither a huge upload nor a
 * compression bomb is buffered beyond its cap. An empty body comes back empty.
 */
export async function readBody(
  stream: AsyncIterable<Buffer> | NodeJS.ReadableStream,
  contentEncoding: string | undefined,
  limits: BodyLimits,
): Promise<Buffer> {
  const codings = parseContentEncoding(contentEncoding);
  const raw = await readRaw(stream as AsyncIterable<Buffer | string>, limits.maxRequestBytes, limits.charge);
  return decodeBody(raw, codings, limits.maxDecompressedBytes, limits.charge);
}

/** Undoes parsed codings on an already-buffered body; identity bodies skip the decoders. */
export async function decodeBody(
  raw: Buffer,
  codings: ContentCoding[],
  maxDecompressedBytes: number,
  charge: (bytes: number) => void = () => {},
): Promise<Buffer> {
  if (codings.length === 0 || raw.length === 0) {
    if (raw.length > maxDecompressedBytes) throw tooLarge();
    return raw;
  }
  let body = raw;
  for (const coding of codings) body = await decodeOne(body, coding, maxDecompressedBytes, charge);
  return body;
}

/** One compressed format, decoded either in one call or as a stream. */
interface Format {
  stream(): Transform;
  once(input: Buffer, options: { chunkSize: number; maxOutputLength: number }): Buffer;
}

const GZIP: Format = {
  stream: () => zlib.createGunzip(DECODER_OPTIONS),
  once: (input, options) => zlib.gunzipSync(input, options),
};
const BROTLI: Format = {
  stream: () => zlib.createBrotliDecompress(DECODER_OPTIONS),
  once: (input, options) => zlib.brotliDecompressSync(input, options),
};
const ZSTD: Format = {
  stream: () => zlib.createZstdDecompress({ ...DECODER_OPTIONS, params: ZSTD_WINDOW_PARAMS }),
  once: (input, options) => zlib.zstdDecompressSync(input, { ...options, params: ZSTD_WINDOW_PARAMS }),
};
const ZLIB_DEFLATE: Format = {
  stream: () => zlib.createInflate(DECODER_OPTIONS),
  once: (input, options) => zlib.inflateSync(input, options),
};
const RAW_DEFLATE: Format = {
  stream: () => zlib.createInflateRaw(DECODER_OPTIONS),
  once: (input, options) => zlib.inflateRawSync(input, options),
};

/**
 * The formats to try per coding, in order. "deflate" is zlib-wrapped (RFC 1950) per Relay, but
 * some clients send raw deflate; Bugsink decodes with wbits=-15. Be liberal and retry raw on a
 * format error only.
 */
const FORMATS: Readonly<Record<ContentCoding, Format[]>> = {
  gzip: [GZIP],
  br: [BROTLI],
  zstd: [ZSTD],
  deflate: [ZLIB_DEFLATE, RAW_DEFLATE],
};

async function decodeOne(
  input: Buffer,
  coding: ContentCoding,
  maxBytes: number,
  charge: (bytes: number) => void,
): Promise<Buffer> {
  const formats = FORMATS[coding];
  for (let i = 0; ; i++) {
    try {
      return await decodeAs(formats[i], input, maxBytes, charge);
    } catch (error) {
      const formatError = error instanceof AppError && error.code === 'VALIDATION';
      if (!formatError || i + 1 === formats.length) throw error;
    }
  }
}

async function decodeAs(
  format: Format,
  input: Buffer,
  maxBytes: number,
  charge: (bytes: number) => void,
): Promise<Buffer> {
  const decoded = input.length <= SYNC_MAX_WIRE ? decodeAtOnce(format, input, maxBytes) : null;
  if (!decoded) return markPrivate(await inflateCapped(input, format.stream(), maxBytes, charge));
  charge(decoded.length);
  return markPrivate(decoded);
}

/** Decodes in one call if the result fits SYNC_MAX_OUTPUT; null when it needs the stream. */
function decodeAtOnce(format: Format, input: Buffer, maxBytes: number): Buffer | null {
  const maxOutputLength = Math.min(maxBytes, SYNC_MAX_OUTPUT) + 1;
  try {
    const out = format.once(input, { ...DECODER_OPTIONS, maxOutputLength });
    if (out.length < maxOutputLength) return out;
  } catch (cause) {
    if ((cause as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') {
      throw new AppError('VALIDATION', 'malformed compressed body', { cause });
    }
  }
  if (maxBytes <= SYNC_MAX_OUTPUT) throw tooLarge();
  return null;
}

function readRaw(
  stream: AsyncIterable<Buffer | string>,
  maxBytes: number,
  charge: (bytes: number) => void = () => {},
): Promise<Buffer> {
  const body = new RawBody(maxBytes, charge);
  return stream instanceof Readable ? readReadable(stream, body) : readIterable(stream, body);
}

/** A body's chunks as they arrive, checked against the wire cap and charged one by one. */
class RawBody {
  readonly #chunks: Buffer[] = [];
  #total = 0;
  readonly #maxBytes: number;
  readonly #charge: (bytes: number) => void;

  constructor(maxBytes: number, charge: (bytes: number) => void) {
    this.#maxBytes = maxBytes;
    this.#charge = charge;
  }

  /** Takes a chunk; throws once the body passes its cap. */
  push(value: Buffer | string): void {
    const chunk = typeof value === 'string' ? Buffer.from(value) : value;
    this.#total += chunk.length;
    if (this.#total > this.#maxBytes) throw tooLarge();
    this.#charge(chunk.length);
    this.#chunks.push(chunk);
  }

  joined(): Buffer {
    // A single chunk is the socket's; a join is a fresh buffer (private when not pooled).
    const chunks = this.#chunks;
    return chunks.length === 1 ? chunks[0] : markPrivate(Buffer.concat(chunks, this.#total));
  }
}

const unreadable = (cause?: unknown) =>
  new AppError('VALIDATION', 'could not read the request body', { cause });

/**
 * A stream (an HTTP request) read through its events: an async iterator costs a promise and
 * listeners per chunk, a sizeable part of what ingest allocates per event. Past the cap it stops
 * reading without destroying the stream, so the 413 can still be written on its socket.
 */
function readReadable(stream: Readable, body: RawBody): Promise<Buffer> {
  if (stream.readableEnded) return Promise.resolve(body.joined());
  if (stream.destroyed) return Promise.reject(unreadable(stream.errored));
  return new Promise((resolve, reject) => {
    const settle = (error: unknown, result?: Buffer) => {
      // 'error' stays heard: a generic stream would throw an error nobody listens to.
      stream.off('data', onData).off('end', onEnd).off('close', onClose);
      if (error) {
        stream.pause();
        reject(error);
      } else resolve(result!);
    };
    const onData = (chunk: Buffer | string) => {
      try {
        body.push(chunk);
      } catch (error) {
        settle(error);
      }
    };
    const onEnd = () => settle(null, body.joined());
    const onError = (cause: unknown) => settle(unreadable(cause));
    // Closed before its end: the client went away mid-body.
    const onClose = () => settle(unreadable());
    stream.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

async function readIterable(stream: AsyncIterable<Buffer | string>, body: RawBody): Promise<Buffer> {
  // Iterate by hand: leaving the loop via throw would call return(), which ends the source.
  const iterator = stream[Symbol.asyncIterator]();
  for (;;) {
    const { value, done } = await iterator.next().catch((cause: unknown) => {
      throw unreadable(cause);
    });
    if (done) return body.joined();
    body.push(value);
  }
}

function inflateCapped(
  input: Buffer,
  decoder: Transform,
  maxBytes: number,
  charge: (bytes: number) => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const fail = (error: AppError) => {
      if (settled) return;
      settled = true;
      decoder.destroy();
      reject(error);
    };
    decoder.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) return fail(tooLarge());
      try {
        charge(chunk.length);
      } catch (error) {
        return fail(error as AppError);
      }
      chunks.push(chunk);
    });
    decoder.on('error', (cause) => fail(new AppError('VALIDATION', 'malformed compressed body', { cause })));
    decoder.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, total));
    });
    decoder.end(input);
  });
}

function unsupportedEncoding(): AppError {
  return new AppError('UNSUPPORTED_MEDIA_TYPE', 'unsupported content encoding');
}

function tooLarge(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', 'request body exceeds the size limit');
}
