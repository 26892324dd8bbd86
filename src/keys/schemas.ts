import { z } from 'zod';
import { ListInput } from '../orgs/paging.ts';

/** Sentry's key rate limit: at most `count` events per `window` seconds; null removes it. */
const RateLimit = z
  .object({
    window: z.number().int().min(1).max(86_400),
    count: z.number().int().min(1).max(1_000_000_000),
  })
  .nullable();

const Name = z.string().trim().min(1).max(64);

export const CreateKeyInput = z.object({
  name: Name.optional(),
  rateLimit: RateLimit.optional(),
});

export const UpdateKeyInput = z.object({
  name: Name.optional(),
  isActive: z.boolean().optional(),
  rateLimit: RateLimit.optional(),
});

export const ListKeysInput = ListInput.extend({
  status: z.enum(['active', 'inactive']).optional(),
});

export function rateLimitPatch(rateLimit: z.infer<typeof RateLimit> | undefined) {
  if (rateLimit === undefined) return {};
  return { rateLimitCount: rateLimit?.count ?? null, rateLimitWindowSeconds: rateLimit?.window ?? null };
}
