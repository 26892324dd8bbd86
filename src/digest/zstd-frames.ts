import { constants, createZstdCompress, type ZstdCompress, zstdCompressSync } from 'node:zlib';

const LEVEL_1 = { [constants.ZSTD_c_compressionLevel]: 1 };
/** Output space kept between calls: a typical event's frame is ~2 KB, a heavy one's ~10 KB. */
const KEPT_OUTPUT_BYTES = 64 * 1024;
const MIN_ZSTD_CHUNK = 4096;

/**
 * The native side of a `ZstdCompress` stream (node:zlib's own `_handle` and `_writeState`): one
 * zstd context that ends each call's input as a frame of its own and starts afresh on the next.
 */
interface ZstdHandle {
  writeSync(
    flush: number,
    input: Uint8Array,
    inOff: number,
    inLen: number,
    out: Uint8Array,
    outOff: number,
    outLen: number,
  ): void;
}
interface ZstdEngine {
  handle: ZstdHandle;
  /** [output bytes left, input bytes left] after each writeSync. */
  state: Uint32Array;
  stream: ZstdCompress;
}

/**
 * Compresses each input into one standalone zstd frame (level 1, docs/decisions/0003), reusing
 * one zstd context and one output buffer.
 *
 * Node's `zstdCompressSync` creates a native context per call and closes it: on a typical event
 * that set-up is ~60 % of the call (bench/prepare-event.ts: 31–40 µs against 18–21 µs here), and
 * its output chunk stays alive with the dead handle until a major GC, which the prepare worker
 * then has to force (docs/decisions/0011). The reusable context is reached through a
 * `ZstdCompress` stream's internal handle, the same calls Node's own sync path makes; where a Node
 * version lacks those internals, or the context ever fails, it falls back to `zstdCompressSync`.
 */
export class ZstdFrameEncoder {
  private engine: ZstdEngine | null = openEngine();
  private output = Buffer.allocUnsafe(KEPT_OUTPUT_BYTES);

  /** Whether frames come from the reused context (false: the per-call fallback). */
  get reusesContext(): boolean {
    return this.engine !== null;
  }

  encode(input: Uint8Array): Uint8Array {
    // A destroyed stream has closed its handle, and writing to a closed handle aborts the process.
    if (this.engine?.stream.destroyed) this.engine = null;
    if (!this.engine) return encodeOnce(input);
    try {
      return this.encodeWith(this.engine, input);
    } catch {
      // The context may be mid-frame: never write another frame through it.
      this.engine.stream.destroy();
      this.engine = null;
      return encodeOnce(input);
    }
  }

  private encodeWith(engine: ZstdEngine, input: Uint8Array): Uint8Array {
    let out = this.output;
    let inOff = 0;
    let inLen = input.byteLength;
    let outOff = 0;
    for (;;) {
      engine.handle.writeSync(constants.ZSTD_e_end, input, inOff, inLen, out, outOff, out.length - outOff);
      // A native failure destroys the stream at once (its error event follows on a later tick).
      if (engine.stream.destroyed) throw new Error('zstd context failed');
      const outLeft = engine.state[0];
      const inLeft = engine.state[1];
      inOff += inLen - inLeft;
      inLen = inLeft;
      outOff = out.length - outLeft;
      // Output space left over means the frame is complete (zstd's e_end flushes all it can).
      if (outLeft !== 0) break;
      const larger = Buffer.allocUnsafe(out.length * 2);
      out.copy(larger, 0, 0, outOff);
      out = larger;
    }
    // A frame larger than the kept buffer grew a temporary one; the kept one stays 64 KiB.
    return new Uint8Array(out.subarray(0, outOff));
  }
}

function openEngine(): ZstdEngine | null {
  const stream = createZstdCompress({ params: LEVEL_1 }) as ZstdCompress & {
    _handle?: Partial<ZstdHandle> | null;
    _writeState?: unknown;
  };
  const handle = stream._handle;
  const state = stream._writeState;
  if (typeof handle?.writeSync !== 'function' || !(state instanceof Uint32Array)) {
    stream.destroy();
    return null;
  }
  // Without a listener, the error event of a failed context would be an uncaught exception.
  stream.on('error', () => {});
  return { handle: handle as ZstdHandle, state, stream };
}

/**
 * One frame through a context of its own. The output chunk is a quarter of the input (at least
 * 4 KiB), not zlib's 16 KiB: the chunk lives until a major GC (docs/decisions/0011).
 */
function encodeOnce(input: Uint8Array): Uint8Array {
  const chunkSize = Math.max(MIN_ZSTD_CHUNK, input.byteLength >> 2);
  return new Uint8Array(zstdCompressSync(input, { chunkSize, params: LEVEL_1 }));
}
