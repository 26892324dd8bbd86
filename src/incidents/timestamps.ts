import { z } from 'zod';

/** An RFC 3339 date or epoch milliseconds, as epoch milliseconds. */
export const Timestamp = z.union(
  [
    z.number().int().min(0).max(8.64e15),
    z
      .string()
      .max(40)
      .refine((text) => !Number.isNaN(Date.parse(text)), 'expected an RFC 3339 date')
      .transform((text) => Date.parse(text)),
  ],
  { error: 'expected an RFC 3339 date (2026-11-22T09:00:00Z) or epoch milliseconds' },
);

export const MINUTE_MS = 60_000;
