import { zstdDecompressSync } from 'node:zlib';
import { AppError } from '../app-error.ts';
import type { StoredEvent } from '../store/types.ts';
import type { NormalizedEvent } from './event.ts';

/** Decodes a stored event payload back to the normalised event. */
export function decodePayload(event: Pick<StoredEvent, 'payload' | 'payloadCodec'>): NormalizedEvent {
  switch (event.payloadCodec) {
    case 'zstd':
      return JSON.parse(zstdDecompressSync(event.payload).toString('utf8'));
    case 'json':
      return JSON.parse(Buffer.from(event.payload).toString('utf8'));
    default:
      throw new AppError('INTERNAL', `unknown payload codec ${event.payloadCodec}`);
  }
}
