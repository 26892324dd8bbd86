import { z } from 'zod';
import { invalid } from '../app-error.ts';
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

/** Parses with a zod schema; the first problem becomes a VALIDATION error naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue.path.join('.');
  throw invalid(field ? `invalid ${field}: ${issue.message}` : issue.message);
}
