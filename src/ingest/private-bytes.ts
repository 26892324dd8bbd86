/**
 * Request bodies whose memory nothing else references, so their bytes may be handed over to the
 * prepare worker (transferred, not copied). Only what Firebreak allocated itself qualifies: a
 * decoder's output or a join of several chunks, and only as a buffer of its own. A small buffer
 * may live in Node's shared allocation pool, and a chunk read from the socket may share its memory
 * with the next request on the connection; transferring either would detach someone else's bytes.
 */
const privateBuffers = new WeakSet<ArrayBufferLike>();

/**
 * Records the memory of `bytes`, which the caller allocated (a decoder's output or a join), as
 * private; returns it. Node serves only allocations under half its pool's size from the shared
 * pool, so a view at least that large lies in memory of its own: a join's exact buffer, or the
 * output buffer of a decoder that is gone. Smaller ones may be pool memory and are left alone.
 */
export function markPrivate(bytes: Buffer): Buffer {
  if (bytes.byteLength >= Buffer.poolSize >>> 1) privateBuffers.add(bytes.buffer);
  return bytes;
}

/** Whether `view` lies in memory marked private: handing it over detaches only its own body. */
export function isPrivate(view: Uint8Array): boolean {
  return privateBuffers.has(view.buffer);
}
