import { z } from 'zod';

/** Sentry slugs: lowercase letters, digits, '-' and '_', not only digits, ≤ 50 chars. */
export const Slug = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9_-]+$/, 'use lowercase letters, digits, "-" and "_"')
  .refine((s) => !/^\d+$/.test(s), 'a slug cannot be only digits');

export const SetupInput = z.object({
  org: Slug,
  project: Slug,
  platform: z.string().max(64).nullable().default(null),
});
export type SetupInput = z.infer<typeof SetupInput>;
