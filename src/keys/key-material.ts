import { randomBytes } from 'node:crypto';
import type { NewKey } from '../store/types-accounts.ts';

/** DSN keys are 32 lowercase hex characters, like Sentry's (ingest checks the shape). */
export function newKeyMaterial(label: string): NewKey {
  return { label, publicKey: randomBytes(16).toString('hex'), secretKey: randomBytes(16).toString('hex') };
}
