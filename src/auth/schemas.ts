import { z } from 'zod';
import { Slug } from '../projects/schemas.ts';

export const CreateTokenInput = z.object({
  org: Slug.optional(),
  /** The owning user's email: the token then acts as that user, within the user's roles. */
  user: z.string().email().optional(),
  kind: z.enum(['user', 'org']).default('user'),
  /** Comma- or space-separated scope names (`org:read,event:read`). */
  scopes: z.string().max(1000).optional(),
  name: z.string().min(1).max(100).optional(),
});
export type CreateTokenInput = z.infer<typeof CreateTokenInput>;

export const ListTokensInput = z.object({
  org: Slug.optional(),
  user: z.string().email().optional(),
});

/** Kept for modules that import it from here; the one helper is src/validation.ts. */
export { parseInput } from '../validation.ts';
